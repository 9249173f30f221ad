// rlg-merge-calls: merges deterministic step ops into earlier identical ones.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/IdenticalCalls.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

namespace rlg {
#define GEN_PASS_DEF_MERGEIDENTICALCALLS
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

using namespace mlir;

namespace {

struct MergeIdenticalCalls
    : rlg::impl::MergeIdenticalCallsBase<MergeIdenticalCalls> {
  void runOnOperation() override {
    for (rlg::ir::StepOp step : getOperation().getOps<rlg::ir::StepOp>()) {
      // In block order, so a duplicate's users are rewired before they are
      // erased as duplicates themselves.
      for (rlg::analysis::IdenticalCall merge :
           rlg::analysis::findIdenticalCalls(step)) {
        merge.duplicate->replaceAllUsesWith(merge.original);
        merge.duplicate->erase();
      }
    }
  }
};

} // namespace
