// Typing of the step's node functions: generate, scoring, KL, advantages,
// filters.
#include "Checker.h"

#include "rlg/Support/TextDistance.h"

namespace rlg::dsl {

/// A model argument with the role a node needs, or nullptr after an error.
static const ModelInfo *roleModel(Checker &c, const Expr *e,
                                  const std::string &fn,
                                  const std::string &role) {
  const ModelInfo *model = c.modelArg(e, "the first argument of '" + fn + "'");
  if (!model || model->role.empty())
    return nullptr;
  if (model->role != role) {
    std::string hint;
    if (fn == "value")
      hint = "value() needs a critic declared as model NAME: value(...)";
    else if (fn == "score")
      hint = "score() needs a model declared as model NAME: reward(...)";
    else
      hint = fn + "() needs a model declared as model NAME: policy(...)";
    c.error(e->range,
            "'" + fn + "' needs a " + role + " model; '" + model->name +
                "' is a " + model->role + " model",
            hint);
    return nullptr;
  }
  return model;
}

Type Checker::typeNodeCall(const std::string &callee, Expr &call,
                           StepScope &scope) {
  BoundArgs args;
  auto arg = [&](const char *name) {
    return const_cast<Expr *>(args.get(name));
  };

  if (callee == "generate") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"model", true, true},
                   {"prompts", true, true},
                   {"n", false, false},
                   {"max_tokens", false, false},
                   {"temperature", false, false},
                   {"top_k", false, false},
                   {"top_p", false, false},
                   {"greedy", false, false}},
                  args))
      return Type::error();
    const ModelInfo *model = roleModel(*this, arg("model"), callee, "policy");
    Type prompts =
        expectValue(arg("prompts"), scope, TypeKind::Prompts, "the prompts");
    long long n = 1;
    bool ok = model && !prompts.isError();
    if (args.has("n")) {
      auto v = constInt(arg("n"), "the sample count 'n'", 1, 4096);
      ok &= v.has_value();
      n = v.value_or(1);
    }
    if (args.has("max_tokens"))
      ok &= constInt(arg("max_tokens"), "'max_tokens'", 1, 1 << 20).has_value();
    if (args.has("temperature"))
      ok &= constFloat(arg("temperature"), "'temperature'", 0, 100).has_value();
    if (args.has("top_k"))
      ok &= constInt(arg("top_k"), "'top_k'", 0, 1 << 24).has_value();
    if (args.has("top_p"))
      ok &= constFloat(arg("top_p"), "'top_p'", 0, 1, true).has_value();
    if (args.has("greedy")) {
      auto greedy = constBool(arg("greedy"), "'greedy'");
      ok &= greedy.has_value();
      if (greedy && *greedy && n > 1) {
        error(arg("greedy")->range,
              "greedy decoding with n = " + std::to_string(n) + " gives " +
                  std::to_string(n) + " identical samples",
              "use n = 1 with greedy = true, or sample with a temperature");
        ok = false;
      }
    }
    if (!ok)
      return Type::error();
    Type type = prompts;
    type.kind = TypeKind::Rollouts;
    type.samples = n;
    type.model = model->name;
    type.producer = "generate";
    return type;
  }

  if (callee == "logprob" || callee == "value" || callee == "score") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"model", true, true}, {"batch", true, true}}, args))
      return Type::error();
    std::string role = callee == "logprob" ? "policy"
                       : callee == "value" ? "value"
                                           : "reward";
    const ModelInfo *model = roleModel(*this, arg("model"), callee, role);
    Type input = typeExpr(*arg("batch"), scope);
    if (!model || input.isError())
      return Type::error();
    Type type = input;
    type.model = model->name;
    type.producer = callee;
    if (input.kind == TypeKind::Rollouts) {
      type.kind =
          callee == "score" ? TypeKind::SeqScores : TypeKind::TokenScores;
      return type;
    }
    if (callee == "logprob") {
      if (input.kind == TypeKind::Pairs) {
        type.kind = TypeKind::PairScores;
        return type;
      }
      if (input.kind == TypeKind::Labeled || input.kind == TypeKind::Demos) {
        type.kind = TypeKind::SeqScores;
        return type;
      }
    }
    error(arg("batch")->range,
          "'" + callee + "' scores rollouts" +
              std::string(callee == "logprob"
                              ? ", preference pairs or labeled data"
                              : "") +
              ", not " + input.str());
    return Type::error();
  }

  if (callee == "kl.k1" || callee == "kl.k2" || callee == "kl.k3") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"lp", true, true}, {"ref_lp", true, true}}, args))
      return Type::error();
    Type lp =
        expectValue(arg("lp"), scope, TypeKind::TokenScores, "the log-probs");
    Type ref = expectValue(arg("ref_lp"), scope, TypeKind::TokenScores,
                           "the reference log-probs");
    if (lp.isError() || ref.isError())
      return Type::error();
    for (auto [type, name] :
         {std::pair{&lp, "lp"}, std::pair{&ref, "ref_lp"}}) {
      if (type->producer != "logprob") {
        error(arg(name)->range,
              "'" + callee + "' compares log-probs; this value comes from " +
                  type->producer + "()",
              "use logprob(MODEL, rollouts)");
        return Type::error();
      }
    }
    if (lp.origin != ref.origin) {
      error(call.range, "KL needs log-probs of the same rollouts; got '" +
                            lp.origin + "' and '" + ref.origin + "'");
      return Type::error();
    }
    if (lp.model == ref.model) {
      error(call.range,
            "both log-probs come from '" + lp.model + "', so the KL is zero",
            "compare the policy with a frozen reference model");
      return Type::error();
    }
    Type type = lp;
    type.producer = "kl";
    type.model.clear();
    return type;
  }

  auto scoresArg = [&](const char *name, const std::string &what) -> Type {
    Type type = typeExpr(*arg(name), scope);
    if (type.isError())
      return type;
    if ((type.kind != TypeKind::SeqScores &&
         type.kind != TypeKind::TokenScores) ||
        type.samples == 0) {
      error(arg(name)->range,
            what + " must be scores of rollouts, got " + type.str());
      return Type::error();
    }
    return type;
  };
  auto needGroups = [&](const Type &r, const char *name) {
    if (r.samples < 2) {
      error(arg(name)->range,
            "'" + callee + "' compares samples of the same prompt, but '" +
                r.origin + "' has n = " + std::to_string(r.samples),
            "generate at least 2 samples per prompt (n = 8 is common)");
      return false;
    }
    return true;
  };
  auto advantages = [](Type type) {
    type.kind = TypeKind::Advantages;
    type.producer = "advantage";
    type.model.clear();
    return type;
  };

  if (callee == "advantage.gae") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"rewards", true, true},
                   {"values", true, true},
                   {"gamma", false, false},
                   {"lam", false, false}},
                  args))
      return Type::error();
    Type r = scoresArg("rewards", "the rewards");
    Type v =
        expectValue(arg("values"), scope, TypeKind::TokenScores, "the values");
    bool ok = !r.isError() && !v.isError();
    if (!v.isError() && v.producer != "value") {
      error(arg("values")->range,
            "advantage.gae needs values from value(CRITIC, rollouts), got " +
                (v.producer.empty() ? v.str() : v.producer + "() scores"));
      ok = false;
    }
    if (args.has("gamma"))
      ok &= constFloat(arg("gamma"), "'gamma'", 0, 1).has_value();
    if (args.has("lam"))
      ok &= constFloat(arg("lam"), "'lam'", 0, 1).has_value();
    if (ok && r.origin != v.origin) {
      error(call.range, "rewards of '" + r.origin + "' and values of '" +
                            v.origin + "' are for different rollouts");
      ok = false;
    }
    return ok ? advantages(r) : Type::error();
  }

  if (callee == "returns") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"advantages", true, true}, {"values", true, true}}, args))
      return Type::error();
    Type adv = expectValue(arg("advantages"), scope, TypeKind::Advantages,
                           "the advantages");
    Type v =
        expectValue(arg("values"), scope, TypeKind::TokenScores, "the values");
    if (adv.isError() || v.isError())
      return Type::error();
    if (v.producer != "value") {
      error(arg("values")->range,
            "returns() needs values from value(CRITIC, rollouts)");
      return Type::error();
    }
    if (adv.origin != v.origin) {
      error(call.range, "advantages and values are for different rollouts");
      return Type::error();
    }
    Type type = v;
    type.producer = "returns";
    return type;
  }

  if (callee == "advantage.grpo" || callee == "advantage.rloo" ||
      callee == "advantage.reinforce_pp") {
    std::vector<ParamSpec> params = {{"rewards", true, true}};
    if (callee == "advantage.grpo") {
      params.push_back({"std_norm", false, false});
      params.push_back({"group", false, false});
    } else if (callee == "advantage.reinforce_pp") {
      params.push_back({"gamma", false, false});
    }
    if (!bindArgs(callee, call.range, call.args, params, args))
      return Type::error();
    Type r = scoresArg("rewards", "the rewards");
    if (r.isError())
      return r;
    bool ok = true;
    if (callee != "advantage.reinforce_pp")
      ok = needGroups(r, "rewards");
    if (args.has("std_norm"))
      ok &= constBool(arg("std_norm"), "'std_norm'").has_value();
    if (args.has("gamma"))
      ok &= constFloat(arg("gamma"), "'gamma'", 0, 1).has_value();
    if (args.has("group")) {
      auto group = constInt(arg("group"), "'group'", 1, 1 << 20);
      if (group && r.samples > 0 && *group != r.samples) {
        error(arg("group")->range,
              "group size " + std::to_string(*group) + " does not match the " +
                  std::to_string(r.samples) + " samples per prompt of '" +
                  r.origin + "'",
              "a group is the n samples of one prompt; drop 'group =' to take "
              "it from "
              "generate's n");
        ok = false;
      }
      ok &= group.has_value();
    }
    return ok ? advantages(r) : Type::error();
  }

  if (callee == "advantage.remax") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"rewards", true, true}, {"baseline", true, true}}, args))
      return Type::error();
    Type r = scoresArg("rewards", "the rewards");
    Type base = expectValue(arg("baseline"), scope, TypeKind::SeqScores,
                            "the baseline");
    if (r.isError() || base.isError())
      return Type::error();
    if (base.samples != 1) {
      error(arg("baseline")->range,
            "the ReMax baseline must have one greedy sample per prompt, got " +
                base.str(),
            "generate the baseline with greedy = true, n = 1");
      return Type::error();
    }
    if (base.prompts != r.prompts || base.batch != r.batch) {
      error(arg("baseline")->range,
            "the baseline answers prompts '" + base.prompts +
                "' but the rewards answer '" + r.prompts + "'",
            "generate both from the same prompts");
      return Type::error();
    }
    if (base.origin == r.origin) {
      error(arg("baseline")->range,
            "the baseline comes from the same rollouts as the rewards",
            "ReMax's baseline is the reward of a separate greedy generation");
      return Type::error();
    }
    return advantages(r);
  }

  if (callee == "filter.dynamic") {
    if (!bindArgs(callee, call.range, call.args,
                  {{"rollouts", true, true},
                   {"rewards", true, true},
                   {"refill", false, false}},
                  args))
      return Type::error();
    Type ro =
        expectValue(arg("rollouts"), scope, TypeKind::Rollouts, "the rollouts");
    Type r =
        expectValue(arg("rewards"), scope, TypeKind::SeqScores, "the rewards");
    if (ro.isError() || r.isError())
      return Type::error();
    if (r.origin != ro.origin) {
      error(arg("rewards")->range,
            "the rewards score '" + r.origin + "', not '" + ro.origin + "'");
      return Type::error();
    }
    if (!needGroups(r, "rewards"))
      return Type::error();
    bool refill = true;
    if (args.has("refill")) {
      auto v = constBool(arg("refill"), "'refill'");
      if (!v)
        return Type::error();
      refill = *v;
    }
    Type type = ro;
    type.dynamicBatch = !refill;
    type.producer = "filter";
    return type;
  }

  std::vector<std::string> known = nodeFunctionNames();
  std::string hint = didYouMean(callee, known);
  if (hint.empty() &&
      (callee == "advantage" || callee.rfind("advantage.", 0) == 0))
    hint = "advantage estimators: gae, grpo, rloo, reinforce_pp, remax";
  error(call.lhs->range, "unknown function '" + callee + "'", hint);
  return Type::error();
}

} // namespace rlg::dsl
