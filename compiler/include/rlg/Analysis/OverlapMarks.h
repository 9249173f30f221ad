// How the steps of a placed program overlap, marked on the ops concerned:
// the overlap mode of the schedule block (rlg.hints) made concrete.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

namespace rlg::analysis {

/// Marks each placed step's ops with `rlg.overlap`, from rlg.hints'
/// overlap:
/// - `stream(chunks = N)`: each rlg.generate gets {mode = "stream",
///   chunks = N}, and each op that reads its rollouts (directly or through
///   a transfer) {mode = "stream", chunks = N, of = "ro"}: it starts on the
///   first finished piece. N above a generate's prompts is an error at the
///   rlg.hints;
/// - `off_policy(staleness = S)`: each rlg.generate of a model some update
///   trains gets {mode = "off_policy", staleness = S}: it may run ahead
///   with weights at most S steps old;
/// - `none()`: nothing.
/// The schedule keeps the mode in `run.overlap`; the marks say which ops it
/// concerns.
mlir::LogicalResult markOverlap(mlir::ModuleOp module);

} // namespace rlg::analysis
