// Liveness of step ops: an op is live when an effect reads what it computes.
#include "rlg/Analysis/DeadNodes.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace rlg::analysis {

bool updatesAnyModel(ir::StepOp step) {
  return !step.getBodyBlock().getOps<ir::UpdateOp>().empty();
}

llvm::SmallVector<Operation *> findDeadNodes(ir::StepOp step) {
  Block &body = step.getBodyBlock();
  // Mark backwards from the effects through the operands they read.
  llvm::DenseSet<Operation *> live;
  llvm::SmallVector<Operation *> worklist;
  for (Operation &op : body)
    if (isEffect(&op) && live.insert(&op).second)
      worklist.push_back(&op);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Value operand : op->getOperands()) {
      Operation *producer = operand.getDefiningOp();
      if (producer && producer->getBlock() == &body &&
          live.insert(producer).second)
        worklist.push_back(producer);
    }
  }
  llvm::SmallVector<Operation *> dead;
  for (Operation &op : body)
    if (!live.contains(&op))
      dead.push_back(&op);
  return dead;
}

} // namespace rlg::analysis
