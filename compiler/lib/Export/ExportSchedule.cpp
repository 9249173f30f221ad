// Export of a planned module: program, cluster, declarations, steps, run.
#include "rlg/Export/ExportSchedule.h"

#include "ExportPredictions.h"
#include "ExportSteps.h"

#include <set>

using namespace mlir;

namespace rlg::exporter {

namespace {

double number(DictionaryAttr dict, StringRef key, double fallback) {
  if (auto f = dict.getAs<FloatAttr>(key))
    return f.getValueAsDouble();
  if (auto i = dict.getAs<IntegerAttr>(key))
    return static_cast<double>(i.getInt());
  return fallback;
}

std::string text(DictionaryAttr dict, StringRef key, StringRef fallback) {
  auto s = dict.getAs<StringAttr>(key);
  return (s ? s.getValue() : fallback).str();
}

schedule::Model exportModel(ir::ModelOp op, bool trainable) {
  schedule::Model model;
  model.name = op.getSymName().str();
  model.role = op.getRole().str();
  model.frozen = op.getFrozen();
  if (auto source = op.getSourceAttr())
    model.frozenFrom = source.getValue().str();
  if (auto from = op.getInitFromAttr())
    model.initFrom = from.getValue().str();
  if (auto preset = op.getPreset())
    model.preset = preset->str();
  if (auto init = op.getInit())
    model.init = init->str();
  if (auto hf = op.getHf())
    model.hf = hf->str();
  model.arch.layers = op.getLayers();
  model.arch.hidden = op.getHidden();
  model.arch.ffn = op.getFfn();
  model.arch.heads = op.getHeads();
  model.arch.kvHeads = op.getKvHeads();
  model.arch.vocab = op.getVocab();
  model.arch.tieEmbeddings = op.getTieEmbeddings();
  model.trainable = trainable;
  if (DictionaryAttr dict = op.getOptimizerAttr(); dict && trainable) {
    schedule::Optimizer optimizer;
    optimizer.kind = text(dict, "kind", "adamw");
    optimizer.lr = number(dict, "lr", 0);
    optimizer.warmup = static_cast<int64_t>(number(dict, "warmup", 0));
    optimizer.weightDecay = number(dict, "weight_decay", 0);
    optimizer.gradClip = number(dict, "grad_clip", 0);
    optimizer.lrSchedule = text(dict, "lr_schedule", "constant");
    model.optimizer = optimizer;
  }
  return model;
}

schedule::DataSource exportData(ir::DataOp op) {
  schedule::DataSource data;
  data.name = op.getSymName().str();
  data.kind = op.getKind().str();
  StringRef source = op.getSource();
  if (source == "jsonl") {
    for (NamedAttribute arg : op.getArgs()) {
      auto value = llvm::dyn_cast<StringAttr>(arg.getValue());
      if (!value)
        continue;
      if (arg.getName() == "path")
        data.jsonlPath = value.str();
      else
        data.fields[arg.getName().str()] = value.str();
    }
  } else {
    data.task =
        source.starts_with("task.") ? source.drop_front(5).str() : source.str();
    data.taskArgs = toAttrEntries(op.getArgs());
  }
  return data;
}

/// A reward symbol as an expression tree, named rewards written in place.
FailureOr<schedule::RewardExpr> rewardExpr(ModuleOp module, ir::RewardOp op,
                                           int depth) {
  schedule::RewardExpr expr;
  if (depth > 32)
    return op.emitOpError() << "nests rewards more than 32 levels deep";
  StringRef kind = op.getKind();
  if (kind == "rule") {
    expr.kind = schedule::RewardExpr::Kind::Rule;
    expr.rule = op.getRule()->str();
    if (auto args = op.getArgsAttr())
      expr.args = toAttrEntries(args);
    return expr;
  }
  if (kind == "model") {
    expr.kind = schedule::RewardExpr::Kind::Score;
    expr.model = op.getModelAttr().getValue().str();
    return expr;
  }
  expr.kind = schedule::RewardExpr::Kind::Sum;
  ArrayAttr terms = *op.getTerms();
  ArrayAttr weights = *op.getWeights();
  for (auto [term, weightAttr] : llvm::zip(terms, weights)) {
    double weight = llvm::cast<FloatAttr>(weightAttr).getValueAsDouble();
    auto ref = llvm::cast<FlatSymbolRefAttr>(term);
    auto inner = module.lookupSymbol<ir::RewardOp>(ref);
    if (!inner)
      return op.emitOpError() << "names " << ref << ", which is not a reward";
    FailureOr<schedule::RewardExpr> sub = rewardExpr(module, inner, depth + 1);
    if (failed(sub))
      return failure();
    expr.terms.push_back({weight, std::move(*sub)});
  }
  return expr;
}

void exportRun(ModuleOp module, schedule::RunSettings &run) {
  for (auto op : module.getOps<ir::RunOp>()) {
    for (Attribute stage : op.getStages()) {
      auto dict = llvm::cast<DictionaryAttr>(stage);
      run.stages.push_back(
          {dict.getAs<FlatSymbolRefAttr>("step").getValue().str(),
           dict.getAs<IntegerAttr>("steps").getInt()});
    }
    run.seed = static_cast<int64_t>(op.getSeed());
    if (auto checkpoint = op.getCheckpointAttr())
      run.checkpoint = schedule::CheckpointSetting{
          static_cast<int64_t>(number(checkpoint, "every", 1)),
          text(checkpoint, "dir", "checkpoints")};
  }
  for (auto op : module.getOps<ir::EvalOp>()) {
    schedule::EvalSetting eval;
    eval.data = op.getData().str();
    eval.model = op.getModel().str();
    eval.every = static_cast<int64_t>(op.getEvery());
    eval.k = static_cast<int64_t>(op.getK());
    eval.temperature = op.getTemperature().convertToDouble();
    if (auto maxTokens = op.getMaxTokens())
      eval.maxTokens = static_cast<int64_t>(*maxTokens);
    run.eval.push_back(eval);
  }
  for (auto op : module.getOps<ir::HintsOp>()) {
    DictionaryAttr overlap = op.getOverlap();
    run.overlap.kind = text(overlap, "mode", "none");
    run.overlap.staleness =
        static_cast<int64_t>(number(overlap, "staleness", 0));
    run.overlap.chunks = static_cast<int64_t>(number(overlap, "chunks", 0));
  }
}

} // namespace

FailureOr<schedule::Schedule> exportSchedule(ModuleOp module) {
  schedule::Schedule out;
  auto source =
      module->getAttrOfType<StringAttr>(ir::RLGDialect::kSourceAttrName);
  auto program =
      module->getAttrOfType<StringAttr>(ir::RLGDialect::kProgramAttrName);
  auto devices =
      module->getAttrOfType<DictionaryAttr>(ir::RLGDialect::kDevicesAttrName);
  if (!devices)
    return module.emitError()
           << "the module is not planned: it has no 'rlg.devices'; run a "
              "placement strategy first";
  out.program.source = source ? source.str() : "";
  out.program.name = program ? program.str() : "program";
  out.cluster.deviceCount = devices.getAs<IntegerAttr>("count").getInt();
  out.cluster.deviceKind = text(devices, "kind", "cpu");

  std::set<std::string> updated;
  module.walk(
      [&](ir::UpdateOp update) { updated.insert(update.getModel().str()); });
  for (auto model : module.getOps<ir::ModelOp>())
    out.models.push_back(
        exportModel(model, updated.count(model.getSymName().str()) != 0));
  for (auto data : module.getOps<ir::DataOp>())
    out.data.push_back(exportData(data));
  for (auto reward : module.getOps<ir::RewardOp>()) {
    // `total.1`-style symbols are inline terms of another reward: the
    // schedule writes them inside it.
    if (reward.getSymName().contains('.'))
      continue;
    FailureOr<schedule::RewardExpr> expr = rewardExpr(module, reward, 0);
    if (failed(expr))
      return failure();
    out.rewards.push_back({reward.getSymName().str(), std::move(*expr)});
  }

  for (auto table : module.getOps<ir::PrecomputeOp>())
    out.precompute.push_back({table.getSymName().str(), table.getModel().str(),
                              table.getCall().str(), table.getData().str(),
                              table.getDemos()});

  MeshTable meshes;
  for (auto step : module.getOps<ir::StepOp>()) {
    out.steps.emplace_back();
    StepExporter exporter(meshes, out.steps.back());
    if (failed(exporter.run(step)))
      return failure();
    exportStepPredictions(step, exporter.ids(), out.predictions);
  }
  out.cluster.meshes = meshes.meshes();
  exportRun(module, out.run);
  exportMemoryPredictions(module, out.predictions);
  return out;
}

} // namespace rlg::exporter
