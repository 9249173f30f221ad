// Export of a placed rlg.step: its ops with inputs, attributes, meshes and
// layouts, the update's loss terms, ordering edges and per-rank order.
#include "ExportSteps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using rlg::schedule::AttrEntry;
using rlg::schedule::AttrValue;
using rlg::schedule::OpKind;

namespace rlg::exporter {

namespace {

bool isLoss(Operation *op) {
  return op->getNumResults() == 1 &&
         llvm::isa<ir::LossType>(op->getResult(0).getType());
}

/// The model a model-calling op runs, or "".
std::string modelOf(Operation *op) {
  if (auto model = op->getAttrOfType<FlatSymbolRefAttr>("model"))
    return model.getValue().str();
  return "";
}

/// Flattens a tree of loss_add / loss_scale into weighted loss terms.
void flattenLoss(Value loss, double weight,
                 std::vector<std::pair<double, Operation *>> &terms) {
  Operation *op = loss.getDefiningOp();
  if (auto add = llvm::dyn_cast_or_null<ir::LossAddOp>(op)) {
    flattenLoss(add.getLhs(), weight, terms);
    flattenLoss(add.getRhs(), weight, terms);
  } else if (auto scale = llvm::dyn_cast_or_null<ir::LossScaleOp>(op)) {
    flattenLoss(scale.getInput(), weight * scale.getFactor().convertToDouble(),
                terms);
  } else if (op) {
    terms.push_back({weight, op});
  }
}

/// "ppo_clip", "kl.k3", ...: a loss term's name in the schedule.
std::string termName(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case<ir::PpoClipLossOp>([](auto) { return "ppo_clip"; })
      .Case<ir::KlLossOp>(
          [](ir::KlLossOp kl) { return "kl." + kl.getEstimator().str(); })
      .Case<ir::EntropyLossOp>([](auto) { return "entropy"; })
      .Case<ir::ValueLossOp>([](auto) { return "value_loss"; })
      .Case<ir::PreferenceLossOp>(
          [](ir::PreferenceLossOp p) { return p.getKind().str(); })
      .Case<ir::SftLossOp>([](auto) { return "sft"; })
      .Case<ir::BradleyTerryLossOp>([](auto) { return "bradley_terry"; })
      .Default([](Operation *) { return ""; });
}

/// The op's own (inherent) attributes, minus `skip`, in name order.
std::vector<AttrEntry> inherentAttrs(Operation *op,
                                     std::initializer_list<StringRef> skip) {
  std::vector<AttrEntry> out;
  for (NamedAttribute named : op->getAttrDictionary()) {
    StringRef name = named.getName().getValue();
    if (name.starts_with("rlg.") || llvm::is_contained(skip, name))
      continue;
    out.push_back({name.str(), toAttrValue(named.getValue())});
  }
  return out;
}

} // namespace

LogicalResult StepExporter::exportOp(Operation *op) {
  if (isLoss(op))
    return success(); // Part of the update that reads it.
  if (llvm::isa<ir::AsyncOp, ir::AwaitOp>(op))
    return op->emitOpError()
           << "overlap tokens have no form in schedule format 1.0; run the "
              "placement pipeline without inserting them";
  schedule::Op out;
  out.id = ids_.assign(op);
  out.loc = locText(op->getLoc());
  out.model = modelOf(op);
  if (op->getNumResults() == 1)
    out.outputs.push_back({out.id, typeText(op->getResult(0).getType())});
  for (Value operand : op->getOperands())
    out.inputs.push_back(ids_.idOf(operand));
  if (failed(placeOp(op, out)))
    return failure();

  auto kind = [&](OpKind k) { out.kind = k; };
  LogicalResult result = success();
  llvm::TypeSwitch<Operation *>(op)
      .Case<ir::BatchOp>([&](ir::BatchOp batch) {
        kind(OpKind::Param);
        out.attrs.push_back(
            {"data", AttrValue::ofString(batch.getData().str())});
        out.attrs.push_back({"batch", AttrValue::ofInt(batch.getSize())});
        if (batch.getDemos())
          out.attrs.push_back({"as", AttrValue::ofString("demos")});
      })
      .Case<ir::GenerateOp>([&](ir::GenerateOp gen) {
        kind(OpKind::Generate);
        out.attrs = {
            {"n", AttrValue::ofInt(gen.getN())},
            {"max_tokens", AttrValue::ofInt(gen.getMaxTokens())},
            {"temperature",
             AttrValue::ofFloat(gen.getTemperature().convertToDouble())},
            {"top_k", AttrValue::ofInt(gen.getTopK())},
            {"top_p", AttrValue::ofFloat(gen.getTopP().convertToDouble())},
            {"greedy", AttrValue::ofBool(gen.getGreedy())}};
      })
      .Case<ir::LogprobOp>([&](auto) { kind(OpKind::Logprob); })
      .Case<ir::ValueOp>([&](auto) { kind(OpKind::Value); })
      .Case<ir::ScoreOp>([&](auto) { kind(OpKind::Score); })
      .Case<ir::RewardApplyOp>([&](ir::RewardApplyOp apply) {
        kind(OpKind::Reward);
        out.attrs.push_back(
            {"reward", AttrValue::ofString(apply.getReward().str())});
      })
      .Case<ir::KlOp>([&](ir::KlOp kl) {
        kind(OpKind::Kl);
        out.attrs = inherentAttrs(op, {});
      })
      .Case<ir::AddOp>([&](auto) {
        kind(OpKind::Arith);
        out.attrs.push_back(
            {"weights", AttrValue::ofList({AttrValue::ofFloat(1.0),
                                           AttrValue::ofFloat(1.0)})});
      })
      .Case<ir::ScaleOp>([&](ir::ScaleOp scale) {
        kind(OpKind::Arith);
        out.attrs.push_back(
            {"weights", AttrValue::ofList({AttrValue::ofFloat(
                            scale.getFactor().convertToDouble())})});
      })
      .Case<ir::AdvantageOp>([&](ir::AdvantageOp adv) {
        kind(OpKind::Advantage);
        out.attrs = inherentAttrs(op, {"estimator"});
        out.attrs.insert(
            out.attrs.begin(),
            {"estimator", AttrValue::ofString(adv.getEstimator().str())});
        int64_t batch = 0, samples = 0;
        ir::getBatchShape(adv.getType(), batch, samples);
        if (adv.getEstimator() == "grpo" || adv.getEstimator() == "rloo")
          out.attrs.push_back({"group", AttrValue::ofInt(samples)});
      })
      .Case<ir::ReturnsOp>([&](auto) { kind(OpKind::Returns); })
      .Case<ir::LookupOp>([&](ir::LookupOp lookup) {
        kind(OpKind::Lookup);
        out.attrs.push_back(
            {"table", AttrValue::ofString(lookup.getTable().str())});
      })
      .Case<ir::FilterDynamicOp>([&](ir::FilterDynamicOp filter) {
        kind(OpKind::Filter);
        out.attrs.push_back({"refill", AttrValue::ofBool(filter.getRefill())});
      })
      .Case<ir::UpdateOp>([&](ir::UpdateOp update) {
        kind(OpKind::Update);
        exportUpdate(update, out);
      })
      .Case<ir::ReshardOp>([&](ir::ReshardOp reshard) {
        kind(OpKind::Reshard);
        out.attrs = {{"from", placementValue(reshard.getFrom())},
                     {"to", placementValue(reshard.getTo())}};
      })
      .Case<ir::TransferOp>([&](auto) { kind(OpKind::Transfer); })
      .Case<ir::OffloadOp>([&](auto) { kind(OpKind::Offload); })
      .Case<ir::OnloadOp>([&](auto) { kind(OpKind::Onload); })
      .Case<ir::WeightSyncOp>([&](ir::WeightSyncOp sync) {
        kind(OpKind::WeightSync);
        out.attrs.push_back(
            {"target", AttrValue::ofString(sync.getTarget().str())});
      })
      .Default([&](Operation *) {
        result = op->emitOpError() << "has no form in the schedule format";
      });
  if (failed(result))
    return failure();
  step_.ops.push_back(std::move(out));
  return success();
}

void StepExporter::exportUpdate(ir::UpdateOp update, schedule::Op &out) {
  std::vector<std::pair<double, Operation *>> terms;
  flattenLoss(update.getLoss(), 1.0, terms);
  out.inputs.clear();
  std::vector<AttrValue> loss;
  for (auto &[weight, term] : terms) {
    std::vector<AttrValue> inputs;
    for (Value operand : term->getOperands()) {
      std::string id = ids_.idOf(operand);
      inputs.push_back(AttrValue::ofString(id));
      if (!llvm::is_contained(out.inputs, id))
        out.inputs.push_back(id);
    }
    std::vector<AttrEntry> args = inherentAttrs(term, {"estimator", "kind"});
    if (llvm::isa<ir::PreferenceLossOp>(term) && termName(term) == "ipo")
      for (AttrEntry &arg : args)
        if (arg.key == "beta")
          arg.key = "tau";
    loss.push_back(
        AttrValue::ofObject({{"term", AttrValue::ofString(termName(term))},
                             {"weight", AttrValue::ofFloat(weight)},
                             {"inputs", AttrValue::ofList(std::move(inputs))},
                             {"args", AttrValue::ofObject(std::move(args))}}));
  }
  out.attrs = {{"loss", AttrValue::ofList(std::move(loss))},
               {"agg", AttrValue::ofString(update.getAgg().str())},
               {"minibatch", AttrValue::ofInt(update.getMinibatch())},
               {"microbatch", AttrValue::ofInt(update.getMicrobatch())},
               {"epochs", AttrValue::ofInt(update.getEpochs())}};
  // Every earlier read of the model must finish before its weights change.
  for (const schedule::Op &earlier : step_.ops)
    if (earlier.model == out.model &&
        !llvm::is_contained(out.inputs, earlier.id))
      out.deps.push_back(earlier.id);
}

AttrValue StepExporter::placementValue(ir::PlacementAttr placement) {
  schedule::Layout layout = toLayout(placement.getLayout());
  return AttrValue::ofObject({{"mesh", AttrValue::ofString(meshes_.idOf(
                                           placement.getMesh().getDevices()))},
                              {"dp", AttrValue::ofInt(layout.dp)},
                              {"tp", AttrValue::ofInt(layout.tp)},
                              {"pp", AttrValue::ofInt(layout.pp)},
                              {"zero", AttrValue::ofInt(layout.zero)}});
}

LogicalResult StepExporter::placeOp(Operation *op, schedule::Op &out) {
  // Moves between meshes run on both: every rank that sends or receives.
  auto spanning = [&](ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
    out.mesh = meshes_.idOfUnion(from, to);
    out.layout = schedule::Layout{};
    out.layout.dp = static_cast<int64_t>(meshes_.meshes().at(out.mesh).size());
    return success();
  };
  if (auto reshard = llvm::dyn_cast<ir::ReshardOp>(op))
    return spanning(reshard.getFrom().getMesh().getDevices(),
                    reshard.getTo().getMesh().getDevices());
  if (auto transfer = llvm::dyn_cast<ir::TransferOp>(op))
    return spanning(transfer.getFrom().getDevices(),
                    transfer.getTo().getDevices());
  auto placement =
      op->getAttrOfType<ir::PlacementAttr>(ir::RLGDialect::kPlacementAttrName);
  if (!placement)
    return op->emitOpError()
           << "is not placed; run a placement strategy before exporting "
              "(rlg compile --emit=schedule does)";
  out.mesh = meshes_.idOf(placement.getMesh().getDevices());
  out.layout = toLayout(placement.getLayout());
  return success();
}

LogicalResult StepExporter::run(ir::StepOp step) {
  step_.name = step.getSymName().str();
  for (Operation &op : step.getBodyBlock())
    if (failed(exportOp(&op)))
      return failure();
  if (step_.ops.empty())
    return step.emitOpError() << "has no ops to schedule";
  // Each rank runs the ops of its meshes in block order, which is a
  // dependency order.
  for (const schedule::Op &op : step_.ops)
    for (int64_t rank : meshes_.meshes().at(op.mesh))
      step_.instructions[rank].push_back(op.id);
  return success();
}

} // namespace rlg::exporter
