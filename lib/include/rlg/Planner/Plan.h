// A plan: which models share which devices, and how each model's calls are
// laid out on them. Strategies produce plans; the evaluator scores them.
#pragma once

#include "rlg/Planner/ModelCosts.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::planner {

/// How one model runs on its group's devices. A trainable model's update,
/// logprob and value calls use `train` (logprob/value as forward passes
/// with its tp and pp, dp over the rest); generation uses `generateTp`
/// (dp = devices / generateTp, pp = 1), resharded from `train` when they
/// differ. A frozen model's calls use `train`'s tp, pp and micro-batch
/// (its zero and checkpointing are ignored).
struct ModelLayout {
  TrainLayout train;
  int64_t generateTp = 1;
  /// Weights (and optimiser state) live in host memory between this
  /// model's phases, and are loaded for them.
  bool offload = false;
};

/// Models that share a set of consecutive devices.
struct DeviceGroup {
  std::vector<int> models; ///< indices into Workload::models, ascending
  int64_t firstDevice = 0;
  int64_t deviceCount = 0;
};

struct Plan {
  std::string strategy;
  std::vector<DeviceGroup> groups; ///< disjoint, ordered by first device
  std::vector<ModelLayout> layouts; ///< one per model
  /// The group holding each model.
  int groupOf(int model) const;
};

/// "{actor, ref} x 8 | {critic} x 4 | {rm} x 4".
std::string describePartition(const Plan &plan,
                              const std::vector<std::string> &modelNames);

/// "dp4 tp2 pp1 zero1 mb2 ckpt".
std::string describeLayout(const TrainLayout &layout);

} // namespace rlg::planner
