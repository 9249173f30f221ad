// Finding deterministic step ops that repeat an earlier op's work.
#include "rlg/Analysis/IdenticalCalls.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

namespace {

/// The one rlg.update whose loss `lossOp` is part of, or null when it feeds
/// none or several.
Operation *owningUpdate(Operation *lossOp) {
  Operation *owner = nullptr;
  llvm::SmallVector<Operation *> worklist{lossOp};
  llvm::DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!visited.insert(op).second)
      continue;
    for (Operation *user : op->getUsers()) {
      if (llvm::isa<UpdateOp>(user)) {
        if (owner && owner != user)
          return nullptr;
        owner = user;
      } else if (isLossOp(user)) {
        worklist.push_back(user);
      }
    }
  }
  return owner;
}

/// What a deterministic op's values depend on besides its operands and
/// attributes: the weights version of the model it calls, or the update
/// that evaluates it.
struct Context {
  unsigned weightsVersion = 0;
  Operation *update = nullptr;
};

struct Seen {
  Operation *op;
  Context context;
};

} // namespace

bool isDeterministic(Operation *op) {
  if (auto filter = llvm::dyn_cast<FilterDynamicOp>(op))
    return !filter.getRefill();
  return isLossOp(op) ||
         llvm::isa<LogprobOp, ValueOp, ScoreOp, RewardApplyOp, KlOp, AddOp,
                   ScaleOp, AdvantageOp, ReturnsOp>(op);
}

llvm::SmallVector<IdenticalCall> findIdenticalCalls(StepOp step) {
  llvm::SmallVector<IdenticalCall> found;
  // Each value stands for itself or for the earlier value that replaces it.
  llvm::DenseMap<Value, Value> replacement;
  auto canonical = [&](Value value) {
    auto it = replacement.find(value);
    return it == replacement.end() ? value : it->second;
  };
  // Bumped at every write of a model's weights.
  llvm::StringMap<unsigned> weightsVersion;
  llvm::SmallVector<Seen> seen;

  auto sameWork = [&](Operation *a, Operation *b) {
    if (a->getName() != b->getName() ||
        a->getAttrDictionary() != b->getAttrDictionary() ||
        a->getResultTypes() != b->getResultTypes() ||
        a->getNumOperands() != b->getNumOperands())
      return false;
    for (auto [x, y] : llvm::zip(a->getOperands(), b->getOperands()))
      if (canonical(x) != canonical(y))
        return false;
    return true;
  };

  for (Operation &op : step.getBodyBlock()) {
    if (isDeterministic(&op)) {
      Context context;
      if (ModelCall call = getModelCall(&op))
        context.weightsVersion = weightsVersion.lookup(call.model);
      if (isLossOp(&op))
        context.update = owningUpdate(&op);
      bool mergeable = !isLossOp(&op) || context.update;
      const Seen *match = nullptr;
      if (mergeable)
        for (const Seen &earlier : seen)
          if (earlier.context.weightsVersion == context.weightsVersion &&
              earlier.context.update == context.update &&
              sameWork(earlier.op, &op)) {
            match = &earlier;
            break;
          }
      if (match) {
        found.push_back({&op, match->op});
        for (auto [mine, theirs] :
             llvm::zip(op.getResults(), match->op->getResults()))
          replacement[mine] = theirs;
      } else if (mergeable) {
        seen.push_back({&op, context});
      }
    }
    if (llvm::StringRef model = writtenModel(&op); !model.empty())
      ++weightsVersion[model];
  }
  return found;
}

} // namespace rlg::analysis
