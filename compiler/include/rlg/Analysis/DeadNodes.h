// Which ops of a step no effect depends on.
#pragma once

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

namespace rlg::ir {
class StepOp;
} // namespace rlg::ir

namespace rlg::analysis {

/// Whether `step` trains any model (holds an rlg.update). A step that does
/// not has no effect, so every one of its nodes is dead.
bool updatesAnyModel(ir::StepOp step);

/// The ops of `step` whose results reach no effect (rlg.update or a planning
/// op), directly or through other ops, in block order.
llvm::SmallVector<mlir::Operation *> findDeadNodes(ir::StepOp step);

} // namespace rlg::analysis
