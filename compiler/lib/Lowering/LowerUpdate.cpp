// Lowering of an update block: its loss tree and batching settings.
#include "Lowering.h"

using namespace mlir;

namespace rlg::lowering {

namespace {
const dsl::Expr *findSetting(const dsl::Stmt &update, llvm::StringRef name) {
  for (const dsl::Setting &s : update.settings)
    if (s.name == name)
      return s.value.get();
  return nullptr;
}
} // namespace

void Lowering::lowerUpdate(const dsl::Stmt &update) {
  std::string name = "update_" + update.name;
  const dsl::Expr *lossExpr = findSetting(update, "loss");
  if (!lossExpr) {
    fail(update.range, "update has no loss");
    return;
  }
  Value loss = lowerLoss(*lossExpr, 1.0, name);
  if (!loss)
    return;
  // The update's batch is the batch its loss reads (docs/language.md 6.3).
  int64_t batch = lossExpr->type.sequences();
  if (batch < 1) {
    fail(lossExpr->range, "the loss reads no batch");
    return;
  }
  auto integer = [&](llvm::StringRef key, int64_t fallback) {
    const dsl::Expr *e = findSetting(update, key);
    std::optional<double> value = e ? constantValue(*e) : std::nullopt;
    return value ? static_cast<int64_t>(*value) : fallback;
  };
  int64_t minibatch = integer("minibatch", batch);
  int64_t microbatch = integer("microbatch", minibatch);
  const dsl::Expr *agg = findSetting(update, "agg");
  NamedAttrList attrs;
  attrs.append("model", symbol(update.name));
  attrs.append("agg", builder_.getStringAttr(agg ? agg->text : "token-mean"));
  attrs.append("batch", i64(batch));
  attrs.append("minibatch", i64(minibatch));
  attrs.append("microbatch", i64(microbatch));
  attrs.append("epochs", i64(integer("epochs", 1)));
  create<ir::UpdateOp>(loc(update.range, name), {}, loss, attrs);
}

Value Lowering::lowerLossTerm(const dsl::Expr &call, const std::string &name) {
  std::string callee = call.lhs->dottedName();
  Type lossType = ir::LossType::get(builder_.getContext());
  Location location = loc(call.range, nestedName(name));
  NamedAttrList attrs;
  auto operand = [&](llvm::StringRef param) {
    return lowerArgument(call, param, name);
  };

  if (callee == "ppo_clip") {
    Value old = operand("old_lp"), adv = operand("advantages");
    if (!old || !adv)
      return {};
    // `clip = e` is clip_low = clip_high = e; a side left out takes `clip`.
    double clip = numberArg(call.args, "clip", 0.2);
    attrs.append("clip_low", f64(numberArg(call.args, "clip_low", clip)));
    attrs.append("clip_high", f64(numberArg(call.args, "clip_high", clip)));
    if (argOf(call.args, "dual_clip"))
      attrs.append("dual_clip", f64(numberArg(call.args, "dual_clip", 3.0)));
    return create<ir::PpoClipLossOp>(location, lossType, ValueRange{old, adv},
                                     attrs)
        .getResult();
  }
  if (callee == "kl.k1" || callee == "kl.k2" || callee == "kl.k3") {
    Value ref = operand("ref_lp");
    if (!ref)
      return {};
    attrs.append("estimator", builder_.getStringAttr(callee.substr(3)));
    return create<ir::KlLossOp>(location, lossType, ref, attrs).getResult();
  }
  if (callee == "entropy")
    return create<ir::EntropyLossOp>(location, lossType, ValueRange{}, {})
        .getResult();
  if (callee == "value_loss") {
    Value old = operand("old_values"), returns = operand("returns");
    if (!old || !returns)
      return {};
    attrs.append("clip", f64(numberArg(call.args, "clip", 0.2)));
    return create<ir::ValueLossOp>(location, lossType, ValueRange{old, returns},
                                   attrs)
        .getResult();
  }
  if (callee == "dpo" || callee == "ipo" || callee == "kto") {
    Value ref = operand("ref_lp");
    if (!ref)
      return {};
    attrs.append("kind", builder_.getStringAttr(callee));
    attrs.append("beta", f64(numberArg(call.args,
                                       callee == "ipo" ? "tau" : "beta", 0.1)));
    if (callee == "kto") {
      attrs.append("desirable_weight",
                   f64(numberArg(call.args, "desirable_weight", 1.0)));
      attrs.append("undesirable_weight",
                   f64(numberArg(call.args, "undesirable_weight", 1.0)));
    }
    return create<ir::PreferenceLossOp>(location, lossType, ref, attrs)
        .getResult();
  }
  if (callee == "sft" || callee == "bradley_terry") {
    Value batch = operand(callee == "sft" ? "demos" : "pairs");
    if (!batch)
      return {};
    if (callee == "sft")
      return create<ir::SftLossOp>(location, lossType, batch, {}).getResult();
    return create<ir::BradleyTerryLossOp>(location, lossType, batch, {})
        .getResult();
  }
  fail(call.range, "unknown loss term '" + callee + "'");
  return {};
}

} // namespace rlg::lowering
