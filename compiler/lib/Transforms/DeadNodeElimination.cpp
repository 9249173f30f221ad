// rlg-dead-nodes: removes step ops that no update or planning op depends on,
// and precomputed tables that no step reads.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/DeadNodes.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

namespace rlg {
#define GEN_PASS_DEF_DEADNODEELIMINATION
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

using namespace mlir;

namespace {

struct DeadNodeElimination
    : rlg::impl::DeadNodeEliminationBase<DeadNodeElimination> {
  void runOnOperation() override {
    bool ok = true;
    for (rlg::ir::StepOp step : getOperation().getOps<rlg::ir::StepOp>()) {
      if (!rlg::analysis::updatesAnyModel(step)) {
        InFlightDiagnostic diag = step.emitError()
                                  << "step @" << step.getSymName()
                                  << " updates no model, so every node is "
                                     "dead";
        diag.attachNote() << "add an `update MODEL { loss = ... }` block to "
                             "the step, or remove the step";
        ok = false;
        continue;
      }
      llvm::SmallVector<Operation *> dead = rlg::analysis::findDeadNodes(step);
      // Dead ops are used only by dead ops: unlink them all, then erase.
      for (Operation *op : dead)
        op->dropAllReferences();
      for (Operation *op : dead)
        op->erase();
    }
    if (!ok)
      return signalPassFailure();
    // A precomputed table that no step looks up is dead work too.
    for (rlg::ir::PrecomputeOp table : llvm::make_early_inc_range(
             getOperation().getOps<rlg::ir::PrecomputeOp>()))
      if (mlir::SymbolTable::symbolKnownUseEmpty(table, getOperation()))
        table.erase();
  }
};

} // namespace
