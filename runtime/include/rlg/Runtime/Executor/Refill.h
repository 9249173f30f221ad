// DAPO's dynamic sampling with refill: drop groups whose rewards are all
// equal, and sample more prompts until the batch is full again.
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <memory>
#include <vector>

namespace rlg::runtime {

/// At most this many generation batches per refilling filter and step (the
/// first included), as verl's DAPO `max_num_gen_batches`.
inline constexpr int64_t kMaxRefillBatches = 10;

/// The rows `rows` of `rollouts` (whole groups), in that order.
std::shared_ptr<Rollouts> selectRows(const Rollouts &rollouts,
                                     const at::Tensor &rows);

/// The groups of `rollouts` whose rewards are not all equal.
std::shared_ptr<Rollouts> keepGroupsWithSignal(const Rollouts &rollouts,
                                               const at::Tensor &rewards);

/// The rows of all `parts` (same sample count), in order, in one batch:
/// prompts left-padded and responses right-padded to the longest.
std::shared_ptr<Rollouts>
concatRollouts(const std::vector<std::shared_ptr<Rollouts>> &parts,
               int64_t padId);

/// Runs `filter` (a filter.dynamic with refill = true) of `step`: keeps the
/// groups with signal of its inputs in `values`; while fewer than the
/// batch's prompt count are kept, runs the ops that produce the filter's
/// inputs again (a new batch of prompts, new samples) and keeps theirs;
/// stores the first B kept groups under the filter's id. After
/// kMaxRefillBatches batches it goes on with the groups it has, and stops
/// with a RunError when it has none. Reports filter/kept_groups and
/// filter/gen_batches.
void runRefillingFilter(RunContext &run, const schedule::Step &step,
                        const schedule::Op &filter, StepValues &values,
                        MetricMap &metrics);

} // namespace rlg::runtime
