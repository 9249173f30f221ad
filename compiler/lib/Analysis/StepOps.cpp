// Classification of step ops shared by the rlg passes.
#include "rlg/Analysis/StepOps.h"

#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

ModelCall getModelCall(Operation *op) {
  return llvm::TypeSwitch<Operation *, ModelCall>(op)
      .Case([](GenerateOp call) {
        return ModelCall{call.getModel(), "generate"};
      })
      .Case([](LogprobOp call) {
        return ModelCall{call.getModel(), "logprob"};
      })
      .Case([](ValueOp call) {
        return ModelCall{call.getModel(), "value"};
      })
      .Case([](ScoreOp call) {
        return ModelCall{call.getModel(), "score"};
      })
      .Case([](UpdateOp call) {
        return ModelCall{call.getModel(), "update"};
      })
      .Default([](Operation *) { return ModelCall{}; });
}

bool isLossOp(Operation *op) {
  return op->getNumResults() == 1 &&
         llvm::isa<LossType>(op->getResult(0).getType());
}

bool isPlanningOp(Operation *op) {
  return llvm::isa<ReshardOp, TransferOp, OffloadOp, OnloadOp, WeightSyncOp,
                   AsyncOp, AwaitOp>(op);
}

bool isEffect(Operation *op) {
  return llvm::isa<UpdateOp>(op) || isPlanningOp(op);
}

bool isPlaceable(Operation *op) {
  return op->getParentOfType<StepOp>() && !isLossOp(op) && !isPlanningOp(op);
}

llvm::StringRef writtenModel(Operation *op) {
  if (auto update = llvm::dyn_cast<UpdateOp>(op))
    return update.getModel();
  if (auto sync = llvm::dyn_cast<WeightSyncOp>(op))
    return sync.getTarget();
  return "";
}

int64_t processedSequences(Operation *op) {
  if (auto update = llvm::dyn_cast<UpdateOp>(op))
    return static_cast<int64_t>(update.getMinibatch());
  if (auto generate = llvm::dyn_cast<GenerateOp>(op))
    return generate.getPrompts().getType().getBatch();
  if (auto batch = llvm::dyn_cast<BatchOp>(op))
    return sequenceCount(batch.getType());
  for (Value operand : op->getOperands())
    if (int64_t sequences = sequenceCount(operand.getType()))
      return sequences;
  return 0;
}

llvm::SmallVector<Value> readValues(Operation *op) {
  if (!llvm::isa<UpdateOp>(op))
    return llvm::to_vector(op->getOperands());
  // Walk the loss tree down to the step values its terms read.
  llvm::SetVector<Value> reads;
  llvm::SmallVector<Value> worklist(op->getOperands());
  llvm::DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *producer = value.getDefiningOp();
    if (producer && isLossOp(producer)) {
      if (visited.insert(producer).second)
        llvm::append_range(worklist, producer->getOperands());
      continue;
    }
    reads.insert(value);
  }
  return reads.takeVector();
}

} // namespace rlg::analysis
