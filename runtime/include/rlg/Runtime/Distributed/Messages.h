// Point-to-point messages between ranks: a JSON record and its tensors.
#pragma once

#include "rlg/Runtime/Distributed/Communicator.h"

#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

namespace rlg::runtime {

/// Sends `record` and `tensors` to group index `peer`; the receiver needs
/// to know nothing of their shapes.
void sendRecord(Communicator &group, int64_t peer, int tag,
                const nlohmann::json &record,
                const std::vector<at::Tensor> &tensors);

/// Receives what sendRecord sent, the tensors on `device`.
std::pair<nlohmann::json, std::vector<at::Tensor>>
receiveRecord(Communicator &group, int64_t peer, int tag,
              const c10::Device &device);

} // namespace rlg::runtime
