// Finding frozen-model calls on data examples, and when precomputing pays.
#include "rlg/Analysis/InvariantCalls.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

std::optional<int64_t> dataSourceSize(DataOp data) {
  if (auto size = data.getArgs().getAs<IntegerAttr>("size"))
    return size.getInt();
  return std::nullopt;
}

int64_t examplesDrawn(ModuleOp module, llvm::StringRef data) {
  SymbolTable symbols(module);
  int64_t drawn = 0;
  for (RunOp run : module.getOps<RunOp>()) {
    for (Attribute stage : run.getStages()) {
      auto dict = llvm::dyn_cast<DictionaryAttr>(stage);
      auto stepName = dict ? dict.getAs<FlatSymbolRefAttr>("step") : nullptr;
      auto steps = dict ? dict.getAs<IntegerAttr>("steps") : nullptr;
      if (!stepName || !steps)
        continue;
      auto step = symbols.lookup<StepOp>(stepName.getValue());
      if (!step)
        continue;
      for (BatchOp batch : step.getBodyBlock().getOps<BatchOp>())
        if (batch.getData() == data)
          drawn += steps.getInt() * static_cast<int64_t>(batch.getSize());
    }
  }
  return drawn;
}

bool precomputePays(ModuleOp module, llvm::StringRef data) {
  auto source = SymbolTable::lookupNearestSymbolFrom<DataOp>(
      module, StringAttr::get(module.getContext(), data));
  if (!source)
    return false;
  std::optional<int64_t> size = dataSourceSize(source);
  return size && *size > 0 && examplesDrawn(module, data) >= *size;
}

llvm::SmallVector<InvariantCall> findInvariantCalls(ModuleOp module,
                                                    bool force) {
  SymbolTable symbols(module);
  // A frozen model that a weight sync writes changes during training.
  llvm::StringSet<> synced;
  module.walk([&](WeightSyncOp sync) { synced.insert(sync.getTarget()); });

  llvm::SmallVector<InvariantCall> calls;
  for (StepOp step : module.getOps<StepOp>()) {
    for (Operation &op : step.getBodyBlock()) {
      // Only logprob reads data examples; score and value read rollouts.
      ModelCall call = getModelCall(&op);
      if (!call || call.call != "logprob")
        continue;
      auto model = symbols.lookup<ModelOp>(call.model);
      if (!model || !model.getFrozen() || synced.contains(call.model))
        continue;
      auto batch = op.getOperand(0).getDefiningOp<BatchOp>();
      if (!batch)
        continue;
      if (!force && !precomputePays(module, batch.getData()))
        continue;
      calls.push_back(
          {&op, call.model, call.call, batch.getData(), batch.getDemos()});
    }
  }
  return calls;
}

} // namespace rlg::analysis
