// Point-to-point messages between ranks: a JSON record and its tensors.
#include "rlg/Runtime/Distributed/Messages.h"

namespace rlg::runtime {

using nlohmann::json;

void sendRecord(Communicator &group, int64_t peer, int tag, const json &record,
                const std::vector<at::Tensor> &tensors) {
  json header = {{"record", record}, {"tensors", json::array()}};
  for (const at::Tensor &t : tensors)
    header["tensors"].push_back({{"dtype", static_cast<int>(t.scalar_type())},
                                 {"shape", t.sizes().vec()}});
  std::string text = header.dump();
  at::Tensor length =
      at::full({1}, static_cast<int64_t>(text.size()), at::kLong);
  group.send(length, peer, tag);
  at::Tensor bytes = at::empty({static_cast<int64_t>(text.size())}, at::kByte);
  std::copy(text.begin(), text.end(), bytes.data_ptr<uint8_t>());
  group.send(bytes, peer, tag);
  for (const at::Tensor &t : tensors)
    group.send(t.contiguous(), peer, tag);
}

std::pair<json, std::vector<at::Tensor>>
receiveRecord(Communicator &group, int64_t peer, int tag,
              const c10::Device &device) {
  at::Tensor length = at::empty({1}, at::kLong);
  group.recv(length, peer, tag);
  at::Tensor bytes = at::empty({length.item<int64_t>()}, at::kByte);
  group.recv(bytes, peer, tag);
  json header = json::parse(
      std::string(reinterpret_cast<const char *>(bytes.data_ptr<uint8_t>()),
                  static_cast<size_t>(bytes.numel())));
  std::vector<at::Tensor> tensors;
  for (const json &entry : header.at("tensors")) {
    at::Tensor t =
        at::empty(entry.at("shape").get<std::vector<int64_t>>(),
                  at::TensorOptions(
                      static_cast<at::ScalarType>(entry.at("dtype").get<int>()))
                      .device(device));
    group.recv(t, peer, tag);
    tensors.push_back(t);
  }
  return {header.at("record"), tensors};
}

} // namespace rlg::runtime
