// Lowering of a step: its parameters, node calls and score arithmetic, in
// the checker's dependency order.
#include "Lowering.h"

using namespace mlir;

namespace rlg::lowering {

namespace {
/// Defaults of the node functions (docs/language.md, 4.2).
constexpr int64_t kDefaultMaxTokens = 64;
} // namespace

void Lowering::lowerStep(const dsl::StepGraph &graph) {
  const dsl::StepDecl &decl = *graph.decl;
  values_.clear();
  nestedCounts_.clear();
  NamedAttrList attrs;
  attrs.append("sym_name", builder_.getStringAttr(decl.name));
  auto step = create<ir::StepOp>(loc(decl.nameRange, decl.name), {}, {}, attrs);
  Block *body = new Block();
  step.getBody().push_back(body);
  OpBuilder::InsertionGuard guard(builder_);
  builder_.setInsertionPointToEnd(body);

  for (size_t index : graph.order) {
    const dsl::Stmt &node = decl.nodes[index];
    switch (node.kind) {
    case dsl::Stmt::Kind::Param: {
      // SOURCE.batch(N) or SOURCE.demos(N).
      const dsl::Expr &call = *node.value;
      const dsl::Expr &member = *call.lhs;
      NamedAttrList batchAttrs;
      batchAttrs.append("data", symbol(member.lhs->text));
      batchAttrs.append("size", i64(node.type.batch));
      if (member.text == "demos")
        batchAttrs.append("demos", builder_.getUnitAttr());
      values_[node.name] =
          create<ir::BatchOp>(loc(call.range, node.name), typeOf(node.type), {},
                              batchAttrs)
              .getResult();
      break;
    }
    case dsl::Stmt::Kind::Assign: {
      Value value = lowerExpr(*node.value, node.name);
      if (!value)
        return;
      // The statement's own op carries its name; an alias `x = y` keeps y's.
      if (node.value->kind != dsl::Expr::Kind::Name)
        if (Operation *op = value.getDefiningOp())
          op->setLoc(loc(node.value->range, node.name));
      values_[node.name] = value;
      break;
    }
    case dsl::Stmt::Kind::Update:
      lowerUpdate(node);
      break;
    }
    if (failed_)
      return;
  }
}

std::string Lowering::nestedName(const std::string &name) {
  return name + "." + std::to_string(++nestedCounts_[name]);
}

Value Lowering::lowerOperand(const dsl::Expr &expr, const std::string &parent) {
  if (expr.kind == dsl::Expr::Kind::Name)
    return lowerExpr(expr, parent);
  return lowerExpr(expr, nestedName(parent));
}

Value Lowering::lowerExpr(const dsl::Expr &expr, const std::string &name) {
  switch (expr.kind) {
  case dsl::Expr::Kind::Name: {
    auto it = values_.find(expr.text);
    if (it == values_.end()) {
      fail(expr.range, "'" + expr.text + "' is used before it is defined");
      return {};
    }
    return it->second;
  }
  case dsl::Expr::Kind::Call:
    return lowerCall(expr, name);
  case dsl::Expr::Kind::Binary:
  case dsl::Expr::Kind::Negate:
    return lowerScaled(expr, 1.0, name);
  default:
    fail(expr.range, "a constant is not a step value");
    return {};
  }
}

template <typename AddOpT, typename ScaleOpT>
Value Lowering::lowerLinear(const dsl::Expr &expr, double factor,
                            const std::string &name, Type sumType,
                            llvm::function_ref<Value(const dsl::Expr &)> leaf) {
  using Kind = dsl::Expr::Kind;
  auto recurse = [&](const dsl::Expr &e, double f) {
    return lowerLinear<AddOpT, ScaleOpT>(e, f, name, sumType, leaf);
  };
  if (expr.kind == Kind::Negate)
    return recurse(*expr.lhs, -factor);
  if (expr.kind == Kind::Binary) {
    std::optional<double> lhs = constantValue(*expr.lhs);
    std::optional<double> rhs = constantValue(*expr.rhs);
    if (expr.op == '*' && lhs)
      return recurse(*expr.rhs, factor * *lhs);
    if (expr.op == '*' && rhs)
      return recurse(*expr.lhs, factor * *rhs);
    if (expr.op == '/' && rhs && *rhs != 0)
      return recurse(*expr.lhs, factor / *rhs);
    if (expr.op == '+' || expr.op == '-') {
      // factor * (a +- b) = factor * a +- factor * b.
      Value a = recurse(*expr.lhs, factor);
      Value b = recurse(*expr.rhs, expr.op == '-' ? -factor : factor);
      if (!a || !b)
        return {};
      Type type = sumType ? sumType : typeOf(expr.type);
      return create<AddOpT>(loc(expr.range, nestedName(name)), type,
                            ValueRange{a, b}, {})
          .getResult();
    }
    fail(expr.range, "unsupported arithmetic");
    return {};
  }
  Value value = leaf(expr);
  if (!value || factor == 1.0)
    return value;
  NamedAttrList attrs;
  attrs.append("factor", f64(factor));
  return create<ScaleOpT>(loc(expr.range, nestedName(name)), value.getType(),
                          value, attrs)
      .getResult();
}

Value Lowering::lowerScaled(const dsl::Expr &expr, double factor,
                            const std::string &name) {
  return lowerLinear<ir::AddOp, ir::ScaleOp>(
      expr, factor, name, /*sumType=*/{},
      [&](const dsl::Expr &leaf) { return lowerOperand(leaf, name); });
}

Value Lowering::lowerLoss(const dsl::Expr &expr, double factor,
                          const std::string &name) {
  return lowerLinear<ir::LossAddOp, ir::LossScaleOp>(
      expr, factor, name, ir::LossType::get(builder_.getContext()),
      [&](const dsl::Expr &leaf) -> Value {
        if (leaf.kind != dsl::Expr::Kind::Call) {
          fail(leaf.range, "a loss is made of loss terms");
          return {};
        }
        return lowerLossTerm(leaf, name);
      });
}

Value Lowering::lowerArgument(const dsl::Expr &call, llvm::StringRef param,
                              const std::string &name) {
  const dsl::Expr *arg = argOf(call.args, param);
  if (!arg) {
    fail(call.range,
         "'" + call.lhs->dottedName() + "' has no argument '" + param + "'");
    return {};
  }
  return lowerOperand(*arg, name);
}

Value Lowering::lowerCall(const dsl::Expr &call, const std::string &name) {
  std::string callee = call.lhs->dottedName();
  Type type = typeOf(call.type);
  Location location = loc(call.range, name);
  NamedAttrList attrs;
  auto operand = [&](llvm::StringRef param) {
    return lowerArgument(call, param, name);
  };
  auto modelAttr = [&]() {
    const dsl::Expr *model = argOf(call.args, "model");
    return symbol(model ? model->text : "");
  };
  auto flag = [&](llvm::StringRef param, bool fallback) {
    const dsl::Expr *arg = argOf(call.args, param);
    return arg ? arg->boolValue : fallback;
  };

  if (callee == "generate") {
    Value prompts = operand("prompts");
    if (!prompts)
      return {};
    attrs.append("model", modelAttr());
    attrs.append("n", i64(int64_t(numberArg(call.args, "n", 1))));
    attrs.append("max_tokens", i64(int64_t(numberArg(call.args, "max_tokens",
                                                     kDefaultMaxTokens))));
    attrs.append("temperature", f64(numberArg(call.args, "temperature", 1.0)));
    attrs.append("top_k", i64(int64_t(numberArg(call.args, "top_k", 0))));
    attrs.append("top_p", f64(numberArg(call.args, "top_p", 1.0)));
    if (flag("greedy", false))
      attrs.append("greedy", builder_.getUnitAttr());
    return create<ir::GenerateOp>(location, type, prompts, attrs).getResult();
  }
  if (callee == "logprob" || callee == "value" || callee == "score") {
    Value input = operand("batch");
    if (!input)
      return {};
    attrs.append("model", modelAttr());
    if (callee == "logprob")
      return create<ir::LogprobOp>(location, type, input, attrs).getResult();
    if (callee == "value")
      return create<ir::ValueOp>(location, type, input, attrs).getResult();
    return create<ir::ScoreOp>(location, type, input, attrs).getResult();
  }
  if (callee == "kl.k1" || callee == "kl.k2" || callee == "kl.k3") {
    Value lp = operand("lp"), ref = operand("ref_lp");
    if (!lp || !ref)
      return {};
    attrs.append("estimator", builder_.getStringAttr(callee.substr(3)));
    return create<ir::KlOp>(location, type, ValueRange{lp, ref}, attrs)
        .getResult();
  }
  if (llvm::StringRef(callee).starts_with("advantage.")) {
    std::string estimator = callee.substr(strlen("advantage."));
    SmallVector<Value> inputs{operand("rewards")};
    if (estimator == "gae")
      inputs.push_back(operand("values"));
    if (estimator == "remax")
      inputs.push_back(operand("baseline"));
    if (llvm::is_contained(inputs, Value()))
      return {};
    attrs.append("estimator", builder_.getStringAttr(estimator));
    if (estimator == "gae") {
      attrs.append("gamma", f64(numberArg(call.args, "gamma", 1.0)));
      attrs.append("lam", f64(numberArg(call.args, "lam", 0.95)));
    } else if (estimator == "reinforce_pp") {
      attrs.append("gamma", f64(numberArg(call.args, "gamma", 1.0)));
    } else if (estimator == "grpo") {
      attrs.append("std_norm", builder_.getBoolAttr(flag("std_norm", true)));
    }
    return create<ir::AdvantageOp>(location, type, inputs, attrs).getResult();
  }
  if (callee == "returns") {
    Value adv = operand("advantages"), values = operand("values");
    if (!adv || !values)
      return {};
    return create<ir::ReturnsOp>(location, type, ValueRange{adv, values}, {})
        .getResult();
  }
  if (callee == "filter.dynamic") {
    Value rollouts = operand("rollouts"), rewards = operand("rewards");
    if (!rollouts || !rewards)
      return {};
    if (flag("refill", true))
      attrs.append("refill", builder_.getUnitAttr());
    return create<ir::FilterDynamicOp>(location, type,
                                       ValueRange{rollouts, rewards}, attrs)
        .getResult();
  }
  // A declared reward applied to rollouts: R(ro).
  if (call.lhs->kind == dsl::Expr::Kind::Name) {
    Value rollouts = operand("rollouts");
    if (!rollouts)
      return {};
    attrs.append("reward", symbol(callee));
    return create<ir::RewardApplyOp>(location, type, rollouts, attrs)
        .getResult();
  }
  fail(call.range, "unknown node function '" + callee + "'");
  return {};
}

} // namespace rlg::lowering
