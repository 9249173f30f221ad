// Reading the torchrun environment contract: RANK, WORLD_SIZE, LOCAL_RANK,
// MASTER_ADDR and MASTER_PORT, with Open MPI's and Slurm's ranks in place
// of the first three where those are not set.
#include "rlg/Runtime/Distributed/ProcessGroups.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <cstdlib>
#include <optional>

namespace rlg::runtime {

namespace {

const char *kEnvHint =
    "start the ranks with `rlg launch --nproc N` (one machine), or set "
    "RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT for each "
    "process as torchrun does (docs/distributed.md shows srun and mpirun)";

/// Where a process's world size, rank and local rank come from: the
/// torchrun variables, else those `mpirun` (Open MPI) sets, else those
/// `srun` sets for the tasks of a job step (not SLURM_NTASKS: a batch
/// script has it, with SLURM_PROCID=0, without being one of the ranks).
struct RankSource {
  const char *worldSize;
  const char *rank;
  const char *localRank;
};

const RankSource kSources[] = {
    {"WORLD_SIZE", "RANK", "LOCAL_RANK"},
    {"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK",
     "OMPI_COMM_WORLD_LOCAL_RANK"},
    {"SLURM_STEP_NUM_TASKS", "SLURM_PROCID", "SLURM_LOCALID"},
};

std::optional<std::string> variable(const char *name) {
  const char *value = std::getenv(name);
  if (!value || !*value)
    return std::nullopt;
  return std::string(value);
}

/// The integer in `name`, in [low, high]; `because` names the variable
/// that made it necessary.
int64_t integerVariable(const char *name, int64_t low, int64_t high,
                        const char *because) {
  std::optional<std::string> text = variable(name);
  if (!text)
    throw RunError(std::string("the environment variable ") + name +
                       " is not set, but " + because + " is",
                   kEnvHint);
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(*text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used != text->size() || value < low || value > high)
    throw RunError(std::string(name) + "='" + *text +
                       "' is not an integer in [" + std::to_string(low) + ", " +
                       std::to_string(high) + "]",
                   kEnvHint);
  return value;
}

} // namespace

DistributedEnv DistributedEnv::fromEnvironment() {
  DistributedEnv env;
  const RankSource *source = nullptr;
  for (const RankSource &candidate : kSources)
    if (variable(candidate.worldSize)) {
      source = &candidate;
      break;
    }
  if (!source)
    return env;
  const char *size = source->worldSize;
  env.worldSize = integerVariable(size, 1, 1 << 20, size);
  if (env.worldSize == 1)
    return env;
  env.rank = integerVariable(source->rank, 0, env.worldSize - 1, size);
  env.localRank =
      variable(source->localRank)
          ? integerVariable(source->localRank, 0, env.worldSize - 1, size)
          : env.rank;
  std::optional<std::string> addr = variable("MASTER_ADDR");
  if (!addr)
    throw RunError(std::string("the environment variable MASTER_ADDR is not "
                               "set, but ") +
                       size + " is",
                   kEnvHint);
  env.masterAddr = *addr;
  env.masterPort = integerVariable("MASTER_PORT", 1, 65535, size);
  return env;
}

} // namespace rlg::runtime
