// Reading rlg.hints into pins per model call and colocation groups.
#include "rlg/Analysis/ScheduleHints.h"

#include "rlg/Dialect/RLG/IR/RLGOps.h"

using namespace mlir;

namespace rlg::analysis {

DictionaryAttr ScheduleHints::pinFor(const ModelCall &call) const {
  if (!call)
    return nullptr;
  return pins.lookup(llvm::StringRef(call.key()));
}

int ScheduleHints::colocateGroupOf(llvm::StringRef model) const {
  for (auto [index, group] : llvm::enumerate(colocate))
    if (llvm::is_contained(group, model))
      return static_cast<int>(index);
  return -1;
}

ScheduleHints readScheduleHints(ModuleOp module) {
  ScheduleHints hints;
  auto range = module.getOps<ir::HintsOp>();
  if (range.empty())
    return hints;
  ir::HintsOp op = *range.begin();
  hints.op = op;
  for (NamedAttribute entry : op.getLayouts())
    if (auto pin = llvm::dyn_cast<DictionaryAttr>(entry.getValue()))
      hints.pins[entry.getName().getValue()] = pin;
  for (Attribute group : op.getColocate()) {
    auto models = llvm::dyn_cast<ArrayAttr>(group);
    if (!models)
      continue;
    llvm::SmallVector<llvm::StringRef> names;
    for (Attribute model : models)
      if (auto ref = llvm::dyn_cast<FlatSymbolRefAttr>(model))
        names.push_back(ref.getValue());
    hints.colocate.push_back(std::move(names));
  }
  return hints;
}

std::optional<int64_t> pinnedInt(DictionaryAttr pin, llvm::StringRef key) {
  if (auto value = pin ? pin.getAs<IntegerAttr>(key) : nullptr)
    if (!value.getType().isInteger(1))
      return value.getInt();
  return std::nullopt;
}

std::optional<bool> pinnedBool(DictionaryAttr pin, llvm::StringRef key) {
  if (auto value = pin ? pin.getAs<BoolAttr>(key) : nullptr)
    return value.getValue();
  return std::nullopt;
}

} // namespace rlg::analysis
