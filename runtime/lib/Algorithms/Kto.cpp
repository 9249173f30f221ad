// KTO: prospect-theoretic loss on labeled completions, TRL's formulation.
#include "rlg/Runtime/Algorithms/PreferenceLosses.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

MetricMap KtoLossResult::metrics() const {
  return {{"actor/kto_loss", scalarValue(loss)},
          {"actor/kto_kl", scalarValue(referencePoint)},
          {"actor/rewards/chosen", scalarValue(desirableReward)},
          {"actor/rewards/rejected", scalarValue(undesirableReward)}};
}

KtoLossResult computeKtoLoss(const at::Tensor &policyLogProbs,
                             const at::Tensor &refLogProbs,
                             const at::Tensor &desirable,
                             const KtoOptions &options) {
  const char *fn = "computeKtoLoss";
  checkRank(fn, "policyLogProbs", policyLogProbs, 1, "[B]");
  checkRank(fn, "refLogProbs", refLogProbs, 1, "[B]");
  checkSameShape(fn, "policyLogProbs", policyLogProbs, "refLogProbs",
                 refLogProbs);
  if (!desirable.defined())
    fail(fn, "desirable is undefined");
  checkSameShape(fn, "policyLogProbs", policyLogProbs, "desirable", desirable);
  if (policyLogProbs.size(0) < 1)
    fail(fn, "needs at least one example, got B = 0");
  checkGreater(fn, "beta", options.beta, 0.0);
  checkAtLeast(fn, "desirableWeight", options.desirableWeight, 0.0);
  checkAtLeast(fn, "undesirableWeight", options.undesirableWeight, 0.0);

  double beta = options.beta;
  at::Tensor isDesirable = desirable != 0;
  at::Tensor d = isDesirable.to(policyLogProbs.scalar_type());
  at::Tensor u = 1.0 - d;
  at::Tensor logRatio = policyLogProbs - refLogProbs;
  at::Tensor z0 = logRatio.detach().mean().clamp_min(0.0);
  at::Tensor desirableLoss = 1.0 - at::sigmoid(beta * (logRatio - z0));
  at::Tensor undesirableLoss = 1.0 - at::sigmoid(beta * (z0 - logRatio));
  at::Tensor perExample = options.desirableWeight * d * desirableLoss +
                          options.undesirableWeight * u * undesirableLoss;

  KtoLossResult result;
  result.loss = perExample.mean();
  result.referencePoint = z0;
  at::Tensor reward = beta * logRatio.detach();
  result.desirableReward = (reward * d).sum() / d.sum().clamp_min(1.0);
  result.undesirableReward = (reward * u).sum() / u.sum().clamp_min(1.0);
  return result;
}

} // namespace rlg::runtime
