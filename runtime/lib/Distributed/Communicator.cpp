// One process group: collectives among a fixed set of ranks, with a timeout
// after which a dead or stalled peer becomes a DistributedError.
#include "rlg/Runtime/Distributed/Communicator.h"
#include "CollectiveHandle.h"

#include <algorithm>

namespace rlg::runtime {

namespace {

/// Waits for `work`; a backend error or the timeout becomes `onError`'s.
template <typename OnError>
void waitFor(const c10::intrusive_ptr<c10d::Work> &work,
             std::chrono::milliseconds timeout, OnError onError) {
  try {
    if (!work->wait(timeout))
      onError("timed out after " + std::to_string(timeout.count()) + " ms");
  } catch (const DistributedError &) {
    throw;
  } catch (const std::exception &e) {
    onError(e.what());
  }
}

/// `tensor` on the backend's device (itself when it is there already).
at::Tensor onDevice(const at::Tensor &tensor, const CollectiveHandle &handle) {
  at::Tensor contiguous = tensor.contiguous();
  return contiguous.device() == handle.device ? contiguous
                                              : contiguous.to(handle.device);
}

/// Copies a collective's result back when it ran on a copy.
void copyBack(at::Tensor &tensor, const at::Tensor &work) {
  if (!work.is_same(tensor))
    tensor.copy_(work);
}

} // namespace

Communicator::Communicator(std::string name, std::vector<int64_t> globalRanks,
                           int64_t myGlobalRank,
                           std::shared_ptr<CollectiveHandle> handle)
    : groupName(std::move(name)), ranks(std::move(globalRanks)),
      handle(std::move(handle)) {
  myIndex = indexOf(myGlobalRank);
  if (myIndex < 0)
    throw std::logic_error("rank " + std::to_string(myGlobalRank) +
                           " is not in group " + groupName);
  if (size() > 1 && !this->handle)
    throw std::logic_error("group " + groupName + " has no backend");
}

Communicator::~Communicator() = default;

int64_t Communicator::indexOf(int64_t globalRank) const {
  auto it = std::find(ranks.begin(), ranks.end(), globalRank);
  return it == ranks.end() ? -1 : static_cast<int64_t>(it - ranks.begin());
}

void Communicator::fail(const std::string &operation,
                        const std::string &problem) const {
  // The first line of a c10d message is the useful part.
  std::string first = problem.substr(0, problem.find('\n'));
  throw DistributedError(
      "rank " + std::to_string(ranks[myIndex]) + ": " + operation +
      " in process group " + groupName + " failed: " + first +
      " (a peer rank exited, crashed or stalled past the timeout)");
}

void Communicator::allReduceSum(at::Tensor &tensor) {
  allReduce(tensor, c10d::ReduceOp::SUM, "all-reduce (sum)");
}

void Communicator::allReduceMax(at::Tensor &tensor) {
  allReduce(tensor, c10d::ReduceOp::MAX, "all-reduce (max)");
}

void Communicator::allReduce(at::Tensor &tensor, int op,
                             const char *operation) {
  if (size() == 1)
    return;
  std::vector<at::Tensor> tensors{onDevice(tensor, *handle)};
  c10d::AllreduceOptions options;
  options.reduceOp = static_cast<c10d::ReduceOp::RedOpType>(op);
  waitFor(handle->backend->allreduce(tensors, options), handle->timeout,
          [&](const std::string &p) { fail(operation, p); });
  copyBack(tensor, tensors[0]);
}

at::Tensor Communicator::allGather(const at::Tensor &tensor) {
  if (size() == 1)
    return tensor.contiguous().clone();
  at::Tensor input = onDevice(tensor, *handle);
  std::vector<at::Tensor> inputs{input};
  std::vector<std::vector<at::Tensor>> outputs(1);
  for (int64_t i = 0; i < size(); ++i)
    outputs[0].push_back(at::empty_like(input));
  waitFor(handle->backend->allgather(outputs, inputs), handle->timeout,
          [&](const std::string &p) { fail("all-gather", p); });
  at::Tensor out =
      input.dim() == 0 ? at::stack(outputs[0]) : at::cat(outputs[0], 0);
  return out.to(tensor.device());
}

void Communicator::broadcast(at::Tensor &tensor, int64_t root) {
  if (size() == 1)
    return;
  std::vector<at::Tensor> tensors{onDevice(tensor, *handle)};
  c10d::BroadcastOptions options;
  options.rootRank = root;
  waitFor(handle->backend->broadcast(tensors, options), handle->timeout,
          [&](const std::string &p) { fail("broadcast", p); });
  copyBack(tensor, tensors[0]);
}

void Communicator::send(const at::Tensor &tensor, int64_t peer, int tag) {
  std::vector<at::Tensor> tensors{onDevice(tensor, *handle)};
  waitFor(handle->backend->send(tensors, static_cast<int>(peer), tag),
          handle->timeout, [&](const std::string &p) {
            fail("send to rank " + std::to_string(ranks.at(peer)), p);
          });
}

void Communicator::recv(at::Tensor &tensor, int64_t peer, int tag) {
  std::vector<at::Tensor> tensors{onDevice(tensor, *handle)};
  waitFor(handle->backend->recv(tensors, static_cast<int>(peer), tag),
          handle->timeout, [&](const std::string &p) {
            fail("receive from rank " + std::to_string(ranks.at(peer)), p);
          });
  copyBack(tensor, tensors[0]);
}

void Communicator::barrier() {
  if (size() == 1)
    return;
  waitFor(handle->backend->barrier(), handle->timeout,
          [&](const std::string &p) { fail("barrier", p); });
}

} // namespace rlg::runtime

namespace rlg::runtime {

std::vector<std::string> Communicator::allGatherText(const std::string &text) {
  if (size() == 1)
    return {text};
  at::Tensor length =
      at::full({1}, static_cast<int64_t>(text.size()), at::kLong);
  at::Tensor lengths = allGather(length);
  int64_t longest = lengths.max().item<int64_t>();
  at::Tensor bytes = at::zeros({longest}, at::kByte);
  std::copy(text.begin(), text.end(), bytes.data_ptr<uint8_t>());
  at::Tensor all = allGather(bytes).contiguous();
  std::vector<std::string> out;
  const uint8_t *data = all.data_ptr<uint8_t>();
  for (int64_t i = 0; i < size(); ++i)
    out.emplace_back(reinterpret_cast<const char *>(data + i * longest),
                     static_cast<size_t>(lengths[i].item<int64_t>()));
  return out;
}

} // namespace rlg::runtime
