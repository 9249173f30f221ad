// rlg-hoist-invariant: computes frozen-model calls on data examples once,
// before training, and looks their rows up in the steps.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/InvariantCalls.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

namespace rlg {
#define GEN_PASS_DEF_HOISTINVARIANTCALLS
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

using namespace mlir;
using namespace rlg::ir;

namespace {

struct HoistInvariantCalls
    : rlg::impl::HoistInvariantCallsBase<HoistInvariantCalls> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::SmallVector<rlg::analysis::InvariantCall> calls =
        rlg::analysis::findInvariantCalls(module, force);
    if (calls.empty())
      return;
    SymbolTable symbols(module);
    // Tables go after the declarations, before the first step.
    OpBuilder builder(module.getContext());
    auto steps = module.getOps<StepOp>();
    builder.setInsertionPoint(*steps.begin());
    llvm::StringMap<PrecomputeOp> tables;
    for (const rlg::analysis::InvariantCall &call : calls) {
      std::string name = (call.model + "_" + call.kind + "_" + call.data +
                          (call.demos ? "_demos" : ""))
                             .str();
      PrecomputeOp &table = tables[name];
      if (!table) {
        table =
            builder.create<PrecomputeOp>(call.call->getLoc(), name, call.model,
                                         call.kind, call.data, call.demos);
        symbols.insert(table); // renames it if the name is taken
      }
      OpBuilder inStep(call.call);
      auto lookup = inStep.create<LookupOp>(
          call.call->getLoc(), call.call->getResult(0).getType(),
          table.getSymName(), call.call->getOperand(0));
      call.call->replaceAllUsesWith(lookup);
      call.call->erase();
    }
  }
};

} // namespace
