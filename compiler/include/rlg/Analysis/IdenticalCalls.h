// Which ops of a step compute exactly what an earlier op computes.
#pragma once

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

namespace rlg::ir {
class StepOp;
} // namespace rlg::ir

namespace rlg::analysis {

/// `duplicate` gives the same values as the earlier `original`.
struct IdenticalCall {
  mlir::Operation *duplicate;
  mlir::Operation *original;
};

/// Whether running `op` twice on the same inputs gives the same values:
/// logprob, value, score, reward_apply, kl, add, scale, advantage, returns,
/// filter_dynamic without refill, and loss ops. generate, batch and a
/// refilling filter_dynamic sample, so they never are.
bool isDeterministic(mlir::Operation *op);

/// The deterministic ops of `step` that have the same name, operands and
/// attributes (locations aside) as an earlier op, in block order. Operands
/// are compared after earlier duplicates are replaced, so chains of
/// duplicates are found in one walk. A model call matches only an op that
/// read the same weights (no rlg.update of the model, nor rlg.weight_sync
/// into it, between them), and a loss op only one inside the same update's
/// loss.
llvm::SmallVector<IdenticalCall> findIdenticalCalls(ir::StepOp step);

} // namespace rlg::analysis
