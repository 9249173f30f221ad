// Typing of loss terms inside `update MODEL { loss = ... }`.
#include "Checker.h"

#include <limits>

namespace rlg::dsl {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

Type lossOn(const Type &batch) {
  Type loss = batch;
  loss.kind = TypeKind::Loss;
  loss.producer = "loss";
  loss.model.clear();
  return loss;
}
} // namespace

Type Checker::typeLossCall(const std::string &callee, Expr &call,
                           StepScope &scope) {
  const ModelInfo &model = *scope.updating;
  BoundArgs args;
  auto arg = [&](const char *name) {
    return const_cast<Expr *>(args.get(name));
  };
  auto needRole = [&](const std::string &role) {
    if (model.role == role)
      return true;
    if (model.role.empty())
      return false; // Its declaration was rejected and reported already.
    error(call.lhs->range, "'" + callee + "' trains a " + role +
                               " model, but '" + model.name + "' is a " +
                               model.role + " model");
    return false;
  };
  /// Scores that must (or must not) come from the model being updated.
  auto fromModel = [&](const char *name, const Type &type, bool same) {
    if (type.isError())
      return false;
    if ((type.model == model.name) == same)
      return true;
    if (same)
      error(arg(name)->range,
            "'" + callee + "' needs scores from '" + model.name +
                "', the model being updated; these come from '" + type.model +
                "'",
            "compute them with " +
                std::string(model.role == "value" ? "value(" : "logprob(") +
                model.name + ", ...) before the update");
    else
      error(arg(name)->range,
            "the reference log-probs come from '" + model.name +
                "', the model being updated",
            "use a frozen copy: model ref: frozen(" + model.name + ")");
    return false;
  };

  if (callee == "ppo_clip") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"old_lp", true, true},
                   {"advantages", true, true},
                   {"clip", false, false},
                   {"clip_low", false, false},
                   {"clip_high", false, false},
                   {"dual_clip", false, false}},
                  args))
      return Type::error();
    bool ok = needRole("policy");
    Type old = expectValue(arg("old_lp"), scope, TypeKind::TokenScores,
                           "the old log-probs");
    Type adv = expectValue(arg("advantages"), scope, TypeKind::Advantages,
                           "the advantages");
    ok &= !old.isError() && !adv.isError();
    if (!old.isError() && old.producer != "logprob") {
      error(arg("old_lp")->range, "ppo_clip needs log-probs from logprob(" +
                                      model.name + ", rollouts), got " +
                                      old.producer + "() scores");
      ok = false;
    } else if (ok) {
      ok &= fromModel("old_lp", old, true);
    }
    if (ok && old.origin != adv.origin) {
      error(call.range, "old log-probs of '" + old.origin +
                            "' and advantages of '" + adv.origin +
                            "' are for different rollouts");
      ok = false;
    }
    if (args.has("clip") && (args.has("clip_low") || args.has("clip_high"))) {
      error(arg("clip")->range,
            "give either 'clip' or 'clip_low'/'clip_high', not both",
            "clip = e is clip_low = e, clip_high = e");
      ok = false;
    }
    if (args.has("clip"))
      ok &= constFloat(arg("clip"), "'clip'", 0, 1, true).has_value();
    if (args.has("clip_low"))
      ok &= constFloat(arg("clip_low"), "'clip_low'", 0, 1, true).has_value();
    if (args.has("clip_high"))
      ok &= constFloat(arg("clip_high"), "'clip_high'", 0, kInf, true)
                .has_value();
    if (args.has("dual_clip"))
      ok &= constFloat(arg("dual_clip"), "'dual_clip'", 1, kInf, true)
                .has_value();
    return ok ? lossOn(adv) : Type::error();
  }

  if (callee == "kl.k1" || callee == "kl.k2" || callee == "kl.k3") {
    if (!bindArgs(callee, call.range, call.args, {{"ref_lp", true, true}},
                  args))
      return Type::error();
    bool ok = needRole("policy");
    Type ref = expectValue(arg("ref_lp"), scope, TypeKind::TokenScores,
                           "the reference log-probs");
    if (ref.isError())
      return ref;
    if (ref.producer != "logprob") {
      error(arg("ref_lp")->range,
            "'" + callee + "' needs log-probs from logprob(REF, rollouts)");
      return Type::error();
    }
    ok &= fromModel("ref_lp", ref, false);
    return ok ? lossOn(ref) : Type::error();
  }

  if (callee == "entropy") {
    if (!bindArgs(callee, call.range, call.args, {}, args) ||
        !needRole("policy"))
      return Type::error();
    return Type::of(TypeKind::Loss);
  }

  if (callee == "value_loss") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"old_values", true, true},
                   {"returns", true, true},
                   {"clip", false, false}},
                  args))
      return Type::error();
    bool ok = needRole("value");
    Type old = expectValue(arg("old_values"), scope, TypeKind::TokenScores,
                           "the old values");
    Type ret = expectValue(arg("returns"), scope, TypeKind::TokenScores,
                           "the returns");
    if (old.isError() || ret.isError())
      return Type::error();
    if (old.producer != "value") {
      error(arg("old_values")->range,
            "value_loss needs values from value(" + model.name + ", rollouts)");
      return Type::error();
    }
    if (ok) // A policy's update has no values of its own to ask for.
      ok &= fromModel("old_values", old, true);
    if (ok && old.origin != ret.origin) {
      error(call.range, "values and returns are for different rollouts");
      ok = false;
    }
    if (args.has("clip"))
      ok &= constFloat(arg("clip"), "'clip'", 0, kInf, true).has_value();
    return ok ? lossOn(old) : Type::error();
  }

  if (callee == "dpo" || callee == "ipo" || callee == "kto") {
    std::vector<ParamSpec> params = {{"ref_lp", true, true}};
    if (callee == "ipo") {
      params.push_back({"tau", false, false});
    } else {
      params.push_back({"beta", false, false});
    }
    if (callee == "kto") {
      params.push_back({"desirable_weight", false, false});
      params.push_back({"undesirable_weight", false, false});
    }
    if (!bindArgs(callee, call.range, call.args, params, args))
      return Type::error();
    bool ok = needRole("policy");
    TypeKind want =
        callee == "kto" ? TypeKind::SeqScores : TypeKind::PairScores;
    Type ref =
        expectValue(arg("ref_lp"), scope, want, "the reference log-probs");
    if (ref.isError())
      return ref;
    if (callee == "kto") {
      auto origin = scope.locals.find(ref.origin);
      bool labeled =
          origin != scope.locals.end() &&
          scope.step->nodes[origin->second].type.kind == TypeKind::Labeled;
      if (!labeled) {
        error(arg("ref_lp")->range,
              "kto needs log-probs of labeled completions",
              "use jsonl(..., completion = \"...\", label = \"...\") data");
        return Type::error();
      }
    }
    ok &= fromModel("ref_lp", ref, false);
    for (const char *name : {"beta", "tau"})
      if (args.has(name))
        ok &=
            constFloat(arg(name), std::string("'") + name + "'", 0, kInf, true)
                .has_value();
    for (const char *name : {"desirable_weight", "undesirable_weight"})
      if (args.has(name))
        ok &= constFloat(arg(name), std::string("'") + name + "'", 0, kInf)
                  .has_value();
    return ok ? lossOn(ref) : Type::error();
  }

  if (callee == "sft" || callee == "bradley_terry") {
    bool sft = callee == "sft";
    if (!bindArgs(callee, call.range, call.args,
                  {{sft ? "demos" : "pairs", true, true}}, args))
      return Type::error();
    bool ok = needRole(sft ? "policy" : "reward");
    Type batch =
        expectValue(arg(sft ? "demos" : "pairs"), scope,
                    sft ? TypeKind::Demos : TypeKind::Pairs,
                    sft ? "the demonstrations" : "the preference pairs");
    return ok && !batch.isError() ? lossOn(batch) : Type::error();
  }
  error(call.range, "unknown loss '" + callee + "'");
  return Type::error();
}

} // namespace rlg::dsl
