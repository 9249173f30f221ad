// One process group: collectives among a fixed set of ranks, with a timeout
// after which a dead or stalled peer becomes a DistributedError.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rlg::runtime {

/// A collective or the rendezvous failed: a peer died, stalled past the
/// timeout, or could not be reached. The message names the group, the
/// operation and this rank.
class DistributedError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The c10d process group behind a Communicator (Gloo or NCCL); hidden so
/// that only the files that create groups include c10d's headers.
struct CollectiveHandle;

/// Collectives among `globalRanks()` (sorted world ranks). A group of one
/// needs no backend: every collective is then a copy or nothing. Tensors
/// must live on the group's device (the CPU for Gloo, the rank's GPU for
/// NCCL); calls block until complete and throw DistributedError when the
/// backend reports an error or the timeout passes.
class Communicator {
public:
  Communicator(std::string name, std::vector<int64_t> globalRanks,
               int64_t myGlobalRank, std::shared_ptr<CollectiveHandle> handle);
  ~Communicator();

  const std::string &name() const { return groupName; }
  /// This process's index in the group, 0 .. size() - 1.
  int64_t rank() const { return myIndex; }
  int64_t size() const { return static_cast<int64_t>(ranks.size()); }
  const std::vector<int64_t> &globalRanks() const { return ranks; }
  /// The index of world rank `globalRank` in the group, or -1.
  int64_t indexOf(int64_t globalRank) const;

  /// In place: every member ends with the element-wise sum (max).
  void allReduceSum(at::Tensor &tensor);
  void allReduceMax(at::Tensor &tensor);
  /// Every member's `tensor` (same shape everywhere), concatenated along
  /// dimension 0 in group order.
  at::Tensor allGather(const at::Tensor &tensor);
  /// In place: every member ends with `root`'s (a group index) tensor.
  void broadcast(at::Tensor &tensor, int64_t root);
  /// Point to point with group index `peer`; the receiver's tensor must
  /// have the sent shape and dtype.
  void send(const at::Tensor &tensor, int64_t peer, int tag);
  void recv(at::Tensor &tensor, int64_t peer, int tag);
  void barrier();
  /// Every member's `text`, in group order (metrics, small records).
  std::vector<std::string> allGatherText(const std::string &text);

private:
  /// An all-reduce with c10d's ReduceOp::RedOpType `op`.
  void allReduce(at::Tensor &tensor, int op, const char *operation);
  [[noreturn]] void fail(const std::string &operation,
                         const std::string &problem) const;
  std::string groupName;
  std::vector<int64_t> ranks;
  int64_t myIndex = 0;
  std::shared_ptr<CollectiveHandle> handle;
};

} // namespace rlg::runtime
