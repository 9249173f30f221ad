// Export of `rlg.predictions`: step and op times, memory per rank and phase.
#include "ExportPredictions.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace rlg::exporter {

namespace {

DictionaryAttr predictionsOf(Operation *op) {
  return op->getAttrOfType<DictionaryAttr>(
      ir::RLGDialect::kPredictionsAttrName);
}

std::optional<double> seconds(DictionaryAttr dict, StringRef key) {
  if (auto value = dict ? dict.getAs<FloatAttr>(key) : nullptr)
    return value.getValueAsDouble();
  return std::nullopt;
}

} // namespace

void exportStepPredictions(ir::StepOp step, const OpIds &ids,
                           std::optional<schedule::Predictions> &out) {
  std::optional<double> stepTime = seconds(predictionsOf(step), "step_time_s");
  if (!stepTime)
    return;
  schedule::StepPrediction prediction;
  prediction.step = step.getSymName().str();
  prediction.stepTimeS = *stepTime;
  for (Operation &op : step.getBodyBlock()) {
    std::string id = ids.idOf(&op);
    if (std::optional<double> time = seconds(predictionsOf(&op), "time_s");
        time && !id.empty())
      prediction.opTimeS[id] = *time;
  }
  if (!out)
    out.emplace();
  out->steps.push_back(std::move(prediction));
}

void exportMemoryPredictions(ModuleOp module,
                             std::optional<schedule::Predictions> &out) {
  DictionaryAttr predictions = predictionsOf(module);
  auto memory =
      predictions ? predictions.getAs<DictionaryAttr>("memory_bytes") : nullptr;
  if (!memory)
    return;
  if (!out)
    out.emplace();
  for (NamedAttribute rank : memory) {
    int64_t index = 0;
    auto phases = llvm::dyn_cast<DictionaryAttr>(rank.getValue());
    if (!phases || !llvm::to_integer(rank.getName().getValue(), index, 10))
      continue;
    for (NamedAttribute phase : phases)
      if (auto bytes = llvm::dyn_cast<IntegerAttr>(phase.getValue()))
        out->memoryBytes[index][phase.getName().str()] = bytes.getInt();
  }
}

} // namespace rlg::exporter
