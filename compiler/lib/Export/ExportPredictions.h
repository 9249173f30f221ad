// Export of the planner's predictions recorded in the IR (`rlg.predictions`)
// to the schedule's `predictions` block.
#pragma once

#include "ExportSupport.h"

#include <optional>

namespace rlg::exporter {

/// Adds to `out` the predictions of `step` (exported with op ids `ids`):
/// its step time and each op's time, when the step has them.
void exportStepPredictions(ir::StepOp step, const OpIds &ids,
                           std::optional<schedule::Predictions> &out);

/// Adds the module's memory predictions (per rank and phase) to `out`.
void exportMemoryPredictions(mlir::ModuleOp module,
                             std::optional<schedule::Predictions> &out);

} // namespace rlg::exporter
