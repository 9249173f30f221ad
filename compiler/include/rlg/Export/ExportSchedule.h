// Export of a planned rlg module to the schedule the runtime executes.
#pragma once

#include "rlg/Schedule/Schedule.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

namespace rlg::exporter {

/// Builds the schedule of a module whose steps are placed (the output of the
/// placement pipeline, checked by rlg-verify-placement). Returns failure
/// after emitting a located MLIR error when the module is not planned or
/// holds what the schedule format cannot express.
mlir::FailureOr<schedule::Schedule> exportSchedule(mlir::ModuleOp module);

} // namespace rlg::exporter
