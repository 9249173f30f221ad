// The PPO clipped policy loss, with clip-higher and dual clip.
#include "rlg/Runtime/Algorithms/PolicyLoss.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

MetricMap PolicyLossResult::metrics() const {
  return {{"actor/pg_loss", scalarValue(loss)},
          {"actor/pg_clipfrac", scalarValue(clipFraction)},
          {"actor/pg_clipfrac_lower", scalarValue(clipFractionLower)},
          {"actor/ppo_kl", scalarValue(approxKl)}};
}

PolicyLossResult computePpoClipLoss(const at::Tensor &logProbs,
                                    const at::Tensor &oldLogProbs,
                                    const at::Tensor &advantages,
                                    const at::Tensor &mask,
                                    const PpoClipOptions &options) {
  const char *fn = "computePpoClipLoss";
  checkRank(fn, "logProbs", logProbs, 2, "[N, T]");
  checkRank(fn, "oldLogProbs", oldLogProbs, 2, "[N, T]");
  checkRank(fn, "advantages", advantages, 2, "[N, T]");
  checkSameShape(fn, "logProbs", logProbs, "oldLogProbs", oldLogProbs);
  checkSameShape(fn, "logProbs", logProbs, "advantages", advantages);
  at::Tensor m = checkMask(fn, "mask", mask, "logProbs", logProbs);
  checkGreater(fn, "clipLow", options.clipLow, 0.0);
  checkGreater(fn, "clipHigh", options.clipHigh, 0.0);
  if (options.dualClip)
    checkGreater(fn, "dualClip", *options.dualClip, 1.0);

  at::Tensor count = m.sum().clamp_min(1.0);
  at::Tensor logRatio = logProbs - oldLogProbs;
  at::Tensor ratio = at::exp(logRatio);
  at::Tensor unclipped = -advantages * ratio;
  at::Tensor clipped = -advantages * at::clamp(ratio, 1.0 - options.clipLow,
                                               1.0 + options.clipHigh);
  at::Tensor perToken = at::max(unclipped, clipped);

  PolicyLossResult result;
  result.clipFraction =
      ((clipped > unclipped).to(m.scalar_type()) * m).sum().detach() / count;
  if (options.dualClip) {
    at::Tensor cap = -advantages * *options.dualClip;
    at::Tensor negative = advantages < 0;
    result.clipFractionLower =
        (((perToken > cap) & negative).to(m.scalar_type()) * m).sum().detach() /
        count;
    perToken = at::where(negative, at::min(perToken, cap), perToken);
  } else {
    result.clipFractionLower = at::zeros({}, m.options());
  }
  result.approxKl = (-logRatio * m).sum().detach() / count;
  result.loss = aggregateLoss(perToken, m, options.aggregation);
  return result;
}

} // namespace rlg::runtime
