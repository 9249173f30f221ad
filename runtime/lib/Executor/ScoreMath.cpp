// The ops that compute on scores: rewards, KL estimates, weighted sums,
// advantages, returns and the dynamic-sampling filter.
#include "rlg/Runtime/Algorithms/Filters.h"
#include "rlg/Runtime/Executor/Refill.h"
#include "rlg/Runtime/Executor/StepOps.h"

#include "rlg/Runtime/Algorithms/Advantages.h"
#include "rlg/Runtime/Algorithms/KlEstimators.h"
#include "rlg/Runtime/Algorithms/Masked.h"
#include "rlg/Runtime/Algorithms/Rewards.h"
#include "rlg/Runtime/Model/Scoring.h"

namespace rlg::runtime {

namespace {

using schedule::RewardExpr;

int64_t intArg(const std::vector<schedule::AttrEntry> &args,
               const std::string &key, int64_t fallback) {
  const schedule::AttrValue *v = schedule::findAttr(args, key);
  return v && v->isNumber() ? static_cast<int64_t>(v->asDouble()) : fallback;
}

at::Tensor evaluateReward(RunContext &run, const RewardExpr &expr,
                          const Rollouts &rollouts) {
  switch (expr.kind) {
  case RewardExpr::Kind::Rule: {
    if (expr.rule == "exact_match" || expr.rule == "math_answer") {
      for (const std::string &answer : rollouts.answers)
        if (answer.empty())
          throw RunError("rule." + expr.rule +
                         " needs answers, and these prompts have none");
      return expr.rule == "exact_match"
                 ? exactMatchRewards(rollouts.responseTexts, rollouts.answers)
                 : mathAnswerRewards(rollouts.responseTexts, rollouts.answers);
    }
    if (expr.rule == "format") {
      const schedule::AttrValue *pattern =
          schedule::findAttr(expr.args, "pattern");
      return FormatReward(pattern ? pattern->stringValue
                                  : "")(rollouts.responseTexts);
    }
    at::Tensor lengths = rollouts.responseLengths.to(torch::kCPU);
    if (expr.rule == "length_penalty") {
      const schedule::AttrValue *weight =
          schedule::findAttr(expr.args, "weight");
      return lengthPenaltyRewards(lengths, intArg(expr.args, "target", 32),
                                  weight ? weight->asDouble() : 0.01);
    }
    if (expr.rule == "overlong")
      return computeOverlongPenalty(lengths, intArg(expr.args, "max", 20),
                                    intArg(expr.args, "buffer", 4));
    throw RunError("unknown reward rule '" + expr.rule + "'");
  }
  case RewardExpr::Kind::Score: {
    torch::NoGradGuard noGrad;
    const Sequences &seqs = *rollouts.sequences;
    return sequenceRewards(run.model(expr.model).model, seqs.inputIds,
                           seqs.attentionMask)
        .to(torch::kCPU);
  }
  case RewardExpr::Kind::Sum: {
    std::vector<at::Tensor> terms;
    std::vector<double> weights;
    for (const schedule::RewardTerm &term : expr.terms) {
      terms.push_back(evaluateReward(run, term.expr, rollouts));
      weights.push_back(term.weight);
    }
    return weightedRewardSum(terms, weights);
  }
  }
  return {};
}

const Scores &scoresInput(const schedule::Op &op, const StepValues &values,
                          size_t index) {
  return inputOf<Scores>(op, values, index);
}

/// Per-token values of a score: sequence scores land on the last token.
at::Tensor tokenValues(const Scores &scores) {
  if (scores.shape == Scores::Shape::Token)
    return scores.values;
  if (scores.shape == Scores::Shape::Sequence)
    return placeOnLastToken(scores.values, scores.sequences->responseMask);
  throw RunError("pair scores have no tokens");
}

Scores like(const Scores &from, Scores::Shape shape, at::Tensor values) {
  Scores out = from;
  out.shape = shape;
  out.values = std::move(values);
  return out;
}

} // namespace

void runReward(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics) {
  const auto &rollouts = inputOf<std::shared_ptr<Rollouts>>(op, values, 0);
  std::string name = stringAttr(op, "reward", "");
  const schedule::Reward *reward = nullptr;
  for (const schedule::Reward &r : run.schedule.rewards)
    if (r.name == name)
      reward = &r;
  if (!reward)
    throw RunError("op '" + op.id + "' applies unknown reward '" + name + "'");
  Scores out;
  out.shape = Scores::Shape::Sequence;
  out.rollouts = rollouts;
  out.sequences = rollouts->sequences;
  out.values = evaluateReward(run, reward->expr, *rollouts)
                   .to(torch::kFloat)
                   .to(rollouts->sequences->responseMask.device());
  metrics["critic/score/mean"] = out.values.mean().item<double>();
  values[op.id] = out;
}

void runScoreMath(RunContext &, const schedule::Op &op, StepValues &values,
                  MetricMap &metrics) {
  using schedule::OpKind;
  if (op.kind == OpKind::Kl) {
    const Scores &lp = scoresInput(op, values, 0);
    const Scores &ref = scoresInput(op, values, 1);
    at::Tensor kl =
        computeKl(parseKlEstimator(stringAttr(op, "estimator", "k1")),
                  lp.values, ref.values) *
        lp.sequences->responseMask;
    values[op.id] = like(lp, Scores::Shape::Token, kl);
    return;
  }
  if (op.kind == OpKind::Arith) {
    const schedule::AttrValue *weights =
        schedule::findAttr(op.attrs, "weights");
    bool tokens = false;
    for (size_t i = 0; i < op.inputs.size(); ++i)
      tokens |= scoresInput(op, values, i).shape == Scores::Shape::Token;
    const Scores &first = scoresInput(op, values, 0);
    at::Tensor sum;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const Scores &in = scoresInput(op, values, i);
      at::Tensor term = (tokens ? tokenValues(in) : in.values) *
                        weights->list.at(i).asDouble();
      sum = sum.defined() ? sum + term : term;
    }
    values[op.id] =
        like(first, tokens ? Scores::Shape::Token : first.shape, sum);
    return;
  }
  if (op.kind == OpKind::Returns) {
    const Scores &adv = scoresInput(op, values, 0);
    const Scores &v = scoresInput(op, values, 1);
    values[op.id] = like(v, Scores::Shape::Token, adv.values + v.values);
    return;
  }
  if (op.kind == OpKind::Advantage) {
    const Scores &rewards = scoresInput(op, values, 0);
    const at::Tensor &mask = rewards.sequences->responseMask;
    std::string estimator = stringAttr(op, "estimator", "");
    at::Tensor adv;
    if (estimator == "grpo" || estimator == "rloo") {
      int64_t group = static_cast<int64_t>(numberAttr(op, "group", 1));
      at::Tensor seq =
          estimator == "grpo"
              ? computeGrpoAdvantages(rewards.values, group,
                                      boolAttr(op, "std_norm", true))
              : computeRlooAdvantages(rewards.values, group);
      adv = broadcastToTokens(seq, mask);
    } else if (estimator == "gae") {
      const Scores &v = scoresInput(op, values, 1);
      adv = computeGaeAdvantages(tokenValues(rewards), v.values, mask,
                                 numberAttr(op, "gamma", 1.0),
                                 numberAttr(op, "lam", 0.95))
                .advantages;
    } else if (estimator == "reinforce_pp") {
      adv = computeReinforcePlusPlusAdvantages(tokenValues(rewards), mask,
                                               numberAttr(op, "gamma", 1.0))
                .advantages;
    } else if (estimator == "remax") {
      const Scores &baseline = scoresInput(op, values, 1);
      adv = broadcastToTokens(
          computeRemaxAdvantages(rewards.values, baseline.values), mask);
    } else {
      throw RunError("unknown advantage estimator '" + estimator + "'");
    }
    metrics["critic/advantages/mean"] = maskedMean(adv, mask).item<double>();
    values[op.id] = like(rewards, Scores::Shape::Token, adv);
    return;
  }
  if (op.kind == OpKind::Filter) {
    // refill = true runs through runRefillingFilter, which needs the step.
    const auto &rollouts = inputOf<std::shared_ptr<Rollouts>>(op, values, 0);
    auto kept =
        keepGroupsWithSignal(*rollouts, scoresInput(op, values, 1).values);
    metrics["filter/kept_groups"] = static_cast<double>(kept->prompts);
    values[op.id] = kept;
    return;
  }
  throw RunError("op '" + op.id + "' is not a score computation");
}

} // namespace rlg::runtime
