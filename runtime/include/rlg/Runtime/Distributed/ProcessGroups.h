// The world of a distributed run: rendezvous through c10d's TCPStore with
// the torchrun environment, and the process groups built from a schedule.
#pragma once

#include "rlg/Runtime/Distributed/Communicator.h"

#include <torch/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rlg::runtime {

/// The torchrun contract: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
/// MASTER_PORT. Without WORLD_SIZE (or with WORLD_SIZE=1) the run is one
/// process and needs none of the others.
struct DistributedEnv {
  int64_t rank = 0;
  int64_t worldSize = 1;
  int64_t localRank = 0;
  std::string masterAddr = "127.0.0.1";
  int64_t masterPort = 29500;

  /// Reads the environment; throws RunError naming a variable that is
  /// missing or malformed (with a hint on how to set it).
  static DistributedEnv fromEnvironment();
  bool distributed() const { return worldSize > 1; }
};

struct StoreState;

/// Every process group of this rank, keyed by its sorted world ranks. Build
/// with connect(), then createGroups() with the same list on every rank
/// (groups are created in one global order, so no two ranks wait on each
/// other's groups); group() then finds them.
class ProcessGroups {
public:
  /// Rendezvous: rank 0 serves the TCPStore at MASTER_ADDR:MASTER_PORT and
  /// every rank joins the world group. `device` picks the backend (NCCL for
  /// CUDA, Gloo otherwise); `timeout` bounds the rendezvous and every
  /// collective. A world of one connects to nothing.
  static std::unique_ptr<ProcessGroups>
  connect(const DistributedEnv &env, const torch::Device &device,
          std::chrono::milliseconds timeout);
  ~ProcessGroups();

  int64_t rank() const { return env.rank; }
  int64_t worldSize() const { return env.worldSize; }
  const DistributedEnv &environment() const { return env; }
  Communicator &world() { return *worldGroup; }

  /// Creates the groups of `rankSets` this rank belongs to (each set is
  /// sorted and deduplicated first; sets of one rank and the world need no
  /// new group). Call with the same list, in any order, on every rank.
  void createGroups(std::vector<std::vector<int64_t>> rankSets);
  /// The group of exactly these world ranks (this rank among them). Throws
  /// std::logic_error when createGroups did not make it.
  Communicator &group(std::vector<int64_t> ranks);

private:
  ProcessGroups() = default;
  std::shared_ptr<Communicator> makeGroup(const std::vector<int64_t> &ranks);
  DistributedEnv env;
  torch::Device device{torch::kCPU};
  std::chrono::milliseconds timeout{0};
  std::shared_ptr<StoreState> store;
  std::shared_ptr<Communicator> worldGroup;
  std::map<std::vector<int64_t>, std::shared_ptr<Communicator>> groups;
};

} // namespace rlg::runtime
