// What happens when a stage begins: models declared `from = M` take M's
// weights as they are then.
#pragma once

#include "rlg/Runtime/Executor/RunContext.h"

#include <cstddef>
#include <set>
#include <string>

namespace rlg::runtime {

/// The index of the first stage whose step uses `model` (any op of it names
/// the model), or 0 when no stage does.
size_t firstStageUsing(const schedule::Schedule &schedule,
                       const std::string &model);

/// Begins stage `stageIndex`: every model declared `from = M` whose first
/// stage this is copies M's current weights (sources first, so chains pass
/// weights on), frozen copies of those models are refreshed, and the
/// precomputed tables of any refreshed model are computed again. Copying
/// is idempotent, so a run resumed at a stage's start may do it again.
/// Returns the models whose weights it set.
std::set<std::string> startStage(RunContext &run, size_t stageIndex);

/// Whether `model` still waits for its weights when stage `stageIndex` is
/// under way: it is declared `from = M` (or is a frozen copy of such a
/// model) and its first stage comes later.
bool awaitsWeights(const schedule::Schedule &schedule, const std::string &model,
                   size_t stageIndex);

} // namespace rlg::runtime
