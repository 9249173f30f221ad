// Typing of step expressions: names, score arithmetic and node calls.
#include "Checker.h"

#include "rlg/Support/TextDistance.h"

namespace rlg::dsl {

std::vector<std::string> Checker::nodeFunctionNames() {
  return {"generate",
          "logprob",
          "value",
          "score",
          "kl.k1",
          "kl.k2",
          "kl.k3",
          "advantage.gae",
          "advantage.grpo",
          "advantage.rloo",
          "advantage.reinforce_pp",
          "advantage.remax",
          "returns",
          "filter.dynamic",
          "ppo_clip",
          "entropy",
          "value_loss",
          "dpo",
          "ipo",
          "kto",
          "sft",
          "bradley_terry"};
}

bool Checker::isLossFunction(const std::string &callee) {
  return callee == "ppo_clip" || callee == "entropy" ||
         callee == "value_loss" || callee == "dpo" || callee == "ipo" ||
         callee == "kto" || callee == "sft" || callee == "bradley_terry";
}

Type Checker::typeExpr(Expr &expr, StepScope &scope) {
  Type type;
  switch (expr.kind) {
  case Expr::Kind::Integer:
    type = Type::of(TypeKind::Int);
    break;
  case Expr::Kind::Float:
    type = Type::of(TypeKind::Float);
    break;
  case Expr::Kind::String:
    type = Type::of(TypeKind::String);
    break;
  case Expr::Kind::Bool:
    type = Type::of(TypeKind::Bool);
    break;
  case Expr::Kind::Name:
    type = typeName(expr, scope);
    break;
  case Expr::Kind::Member:
    error(expr.range,
          "'" + (expr.dottedName().empty() ? expr.text : expr.dottedName()) +
              "' is not a value",
          "call it with arguments, e.g. " + expr.dottedName() + "(...)");
    type = Type::error();
    break;
  case Expr::Kind::Negate: {
    Type inner = typeExpr(*expr.lhs, scope);
    if (!inner.isError() && !inner.isNumber() && !inner.isScores() &&
        inner.kind != TypeKind::Loss) {
      error(expr.range, "cannot negate " + inner.str());
      inner = Type::error();
    }
    type = inner;
    break;
  }
  case Expr::Kind::Binary:
    type = typeBinary(expr, scope);
    break;
  case Expr::Kind::Call:
    type = typeCall(expr, scope);
    break;
  }
  expr.type = type;
  return type;
}

Type Checker::typeName(Expr &expr, StepScope &scope) {
  auto local = scope.locals.find(expr.text);
  if (local != scope.locals.end())
    return scope.step->nodes[local->second].type;
  auto global = globals_.find(expr.text);
  if (global == globals_.end()) {
    std::vector<std::string> names = globalNames();
    for (const auto &entry : scope.locals)
      names.push_back(entry.first);
    error(expr.range, "unknown name '" + expr.text + "'",
          didYouMean(expr.text, names));
    return Type::error();
  }
  markUsed(expr.text);
  switch (global->second.kind) {
  case GlobalSymbol::Kind::Model: {
    const ModelInfo &model = out_.models[global->second.index];
    Type type = Type::of(TypeKind::Model);
    type.role = model.role;
    type.frozen = model.frozen;
    return model.role.empty() ? Type::error() : type;
  }
  case GlobalSymbol::Kind::Data:
    return dataTypes_[expr.text];
  case GlobalSymbol::Kind::Reward:
    return Type::of(TypeKind::Reward);
  case GlobalSymbol::Kind::Step:
    error(expr.range, "'" + expr.text + "' is a step, not a value");
    return Type::error();
  }
  return Type::error();
}

namespace {

bool sameShape(const Type &a, const Type &b) {
  return a.batch == b.batch && a.samples == b.samples &&
         a.dynamicBatch == b.dynamicBatch;
}

/// The kind of `a op b` for two score kinds, or Error when they do not mix.
TypeKind combineScores(TypeKind a, TypeKind b) {
  if (a == b && a != TypeKind::PairScores)
    return a;
  if ((a == TypeKind::SeqScores && b == TypeKind::TokenScores) ||
      (a == TypeKind::TokenScores && b == TypeKind::SeqScores))
    return TypeKind::TokenScores; // The sequence score lands on the last token.
  return TypeKind::Error;
}

} // namespace

Type Checker::typeBinary(Expr &expr, StepScope &scope) {
  Type lhs = typeExpr(*expr.lhs, scope);
  Type rhs = typeExpr(*expr.rhs, scope);
  if (lhs.isError() || rhs.isError())
    return Type::error();
  std::string op(1, expr.op);
  if (lhs.isNumber() && rhs.isNumber())
    return Type::of(lhs.kind == TypeKind::Int && rhs.kind == TypeKind::Int &&
                            expr.op != '/'
                        ? TypeKind::Int
                        : TypeKind::Float);
  bool lhsValue = lhs.isScores() || lhs.kind == TypeKind::Loss;
  bool rhsValue = rhs.isScores() || rhs.kind == TypeKind::Loss;
  if (expr.op == '*' || expr.op == '/') {
    if (lhsValue && rhs.isNumber())
      return lhs;
    if (expr.op == '*' && lhs.isNumber() && rhsValue)
      return rhs;
    if (lhsValue && rhsValue)
      error(expr.range, "cannot multiply " + lhs.str() + " by " + rhs.str(),
            "scores and losses are scaled by numbers, not by each other");
    else
      error(expr.range,
            "cannot " + std::string(expr.op == '*' ? "multiply " : "divide ") +
                lhs.str() + " by " + rhs.str());
    return Type::error();
  }
  // Addition and subtraction.
  if (lhs.kind == TypeKind::Loss || rhs.kind == TypeKind::Loss) {
    if (lhs.kind == TypeKind::Loss && rhs.kind == TypeKind::Loss) {
      if (lhs.origin.empty() || rhs.origin.empty())
        return lhs.origin.empty()
                   ? rhs
                   : lhs; // entropy() takes the other term's batch.
      if (lhs.origin != rhs.origin) {
        error(expr.range,
              "loss terms are computed on different batches ('" + lhs.origin +
                  "' and '" + rhs.origin + "')",
              "one update trains on one batch");
        return Type::error();
      }
      return lhs;
    }
    const Type &other = lhs.kind == TypeKind::Loss ? rhs : lhs;
    std::string hint =
        other.isNumber() ? "a constant does not change the gradient"
        : other.kind == TypeKind::TokenScores && other.producer == "logprob"
            ? "for a KL penalty in the loss use kl.k3(" +
                  (expr.rhs->kind == Expr::Kind::Name ? expr.rhs->text
                                                      : "ref_lp") +
                  ")"
            : "a loss adds up loss terms such as ppo_clip(...) or entropy()";
    error(expr.range,
          "cannot " + std::string(expr.op == '+' ? "add " : "subtract ") +
              (lhs.kind == TypeKind::Loss ? other.str() + " to Loss"
                                          : "Loss and " + other.str()),
          hint);
    return Type::error();
  }
  if ((lhs.isScores() && rhs.isNumber()) ||
      (lhs.isNumber() && rhs.isScores())) {
    error(
        expr.range,
        "cannot " + std::string(expr.op == '+' ? "add " : "subtract ") +
            rhs.str() + (expr.op == '+' ? " to " : " from ") + lhs.str(),
        "a constant shift changes no advantage; scale scores with '*' instead");
    return Type::error();
  }
  if (!lhs.isScores() || !rhs.isScores()) {
    error(expr.range,
          "cannot " + std::string(expr.op == '+' ? "add " : "subtract ") +
              rhs.str() + (expr.op == '+' ? " to " : " from ") + lhs.str());
    return Type::error();
  }
  TypeKind kind = combineScores(lhs.kind, rhs.kind);
  if (kind == TypeKind::Error) {
    error(expr.range, "cannot combine " + lhs.str() + " with " + rhs.str(),
          lhs.kind == TypeKind::Advantages || rhs.kind == TypeKind::Advantages
              ? "advantages combine with advantages; shape rewards before the "
                "estimator"
              : "");
    return Type::error();
  }
  if (!sameShape(lhs, rhs)) {
    error(expr.range,
          "cannot combine " + lhs.str() + " with " + rhs.str() +
              ": batch shapes differ",
          "both sides must come from the same rollouts");
    return Type::error();
  }
  if (lhs.origin != rhs.origin) {
    error(expr.range,
          "cannot combine scores of rollouts '" + lhs.origin +
              "' with scores of '" + rhs.origin + "'",
          "scores are per sequence; combine scores of the same rollouts");
    return Type::error();
  }
  Type result = lhs;
  result.kind = kind;
  result.producer = lhs.producer == rhs.producer ? lhs.producer : "combined";
  if (lhs.model != rhs.model)
    result.model.clear();
  return result;
}

Type Checker::expectValue(Expr *e, StepScope &scope, TypeKind kind,
                          const std::string &what) {
  if (!e)
    return Type::error();
  Type type = typeExpr(*e, scope);
  if (type.isError())
    return type;
  if (type.kind != kind) {
    error(e->range,
          what + " must be " + typeKindName(kind) + ", got " + type.str());
    return Type::error();
  }
  return type;
}

Type Checker::typeCall(Expr &call, StepScope &scope) {
  std::string callee = call.lhs->dottedName();
  if (callee.empty()) {
    error(call.lhs->range, "only named functions can be called");
    return Type::error();
  }
  // A declared reward applied to rollouts.
  auto global = globals_.find(callee);
  if (global != globals_.end() &&
      global->second.kind == GlobalSymbol::Kind::Reward)
    return applyReward(callee, call, scope);
  if (scope.locals.count(callee)) {
    error(call.lhs->range, "'" + callee + "' is a value, not a function");
    return Type::error();
  }
  bool oneArgKl =
      (callee == "kl.k1" || callee == "kl.k2" || callee == "kl.k3") &&
      call.args.size() == 1;
  if (isLossFunction(callee) || oneArgKl) {
    if (!scope.updating) {
      error(call.range,
            "'" + callee +
                "' is a loss term and can only appear in an "
                "update's loss",
            oneArgKl ? "for a per-token KL estimate give both log-probs: " +
                           callee + "(lp, ref_lp)"
                     : "write update MODEL { loss = " + callee + "(...) }");
      return Type::error();
    }
    return typeLossCall(callee, call, scope);
  }
  if (call.lhs->kind == Expr::Kind::Member &&
      call.lhs->lhs->kind == Expr::Kind::Name &&
      globals_.count(call.lhs->lhs->text) &&
      globals_.at(call.lhs->lhs->text).kind == GlobalSymbol::Kind::Data) {
    error(call.range, "batches of data are taken in the step's parameters",
          "write step NAME(" + call.lhs->lhs->text + "_batch = " + callee +
              "(...)) { ... }");
    return Type::error();
  }
  return typeNodeCall(callee, call, scope);
}

Type Checker::applyReward(const std::string &reward, Expr &call,
                          StepScope &scope) {
  markUsed(reward);
  BoundArgs args;
  if (!bindArgs(reward, call.range, call.args, {{"rollouts", true, true}},
                args))
    return Type::error();
  Type ro = expectValue(const_cast<Expr *>(args.get("rollouts")), scope,
                        TypeKind::Rollouts,
                        "the argument of reward '" + reward + "'");
  const RewardInfo &info = rewards_[reward];
  if (ro.isError() || info.type.isError())
    return Type::error();
  if (!info.answerRule.empty() && !ro.hasAnswers) {
    error(args.get("rollouts")->range,
          "reward '" + reward + "' uses " + info.answerRule +
              ", but the prompts of '" + ro.origin + "' have no answers",
          "use a task, or a jsonl file with an 'answer' field");
    return Type::error();
  }
  Type type = ro;
  type.kind = TypeKind::SeqScores;
  type.producer = "reward";
  type.model.clear();
  return type;
}

} // namespace rlg::dsl
