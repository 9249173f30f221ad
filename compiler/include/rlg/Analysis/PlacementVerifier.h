// Checks a placement plan, whichever strategy made it.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

namespace rlg::analysis {

/// Checks that `module` is completely and consistently placed:
/// - the module has rlg.devices, and every placeable op an rlg.placement on
///   ranks below its device count;
/// - each layout's dp divides the sequences the op processes, and so does
///   micro-batch x dp when the micro-batch is set;
/// - the layout keys the schedule pins are kept, and colocated models' calls
///   share one mesh;
/// - a value read on another mesh than it was produced on passes through an
///   rlg.transfer between the two;
/// - between two successive calls of a model whose mesh, tp or pp differ
///   stands an rlg.reshard of that model from the first to the second.
/// Reports every problem at the op concerned, with a hint, and fails if
/// there is any.
mlir::LogicalResult verifyPlacement(mlir::ModuleOp module);

} // namespace rlg::analysis
