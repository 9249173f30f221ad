// Supervised losses: SFT negative log-likelihood, Bradley-Terry reward loss.
#include "rlg/Runtime/Algorithms/SupervisedLosses.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

at::Tensor computeSftLoss(const at::Tensor &tokenLogProbs,
                          const at::Tensor &mask) {
  const char *fn = "computeSftLoss";
  checkRank(fn, "tokenLogProbs", tokenLogProbs, 2, "[N, T]");
  at::Tensor m = checkMask(fn, "mask", mask, "tokenLogProbs", tokenLogProbs);
  at::Tensor masked =
      at::where(m != 0, tokenLogProbs * m, at::zeros_like(tokenLogProbs));
  return -masked.sum() / m.sum().clamp_min(1.0);
}

MetricMap RewardModelLossResult::metrics() const {
  return {{"rm/loss", scalarValue(loss)},
          {"rm/accuracy", scalarValue(accuracy)},
          {"rm/margin", scalarValue(margin)}};
}

RewardModelLossResult
computeBradleyTerryLoss(const at::Tensor &chosenRewards,
                        const at::Tensor &rejectedRewards) {
  const char *fn = "computeBradleyTerryLoss";
  checkRank(fn, "chosenRewards", chosenRewards, 1, "[B]");
  checkRank(fn, "rejectedRewards", rejectedRewards, 1, "[B]");
  checkSameShape(fn, "chosenRewards", chosenRewards, "rejectedRewards",
                 rejectedRewards);
  if (chosenRewards.size(0) < 1)
    fail(fn, "needs at least one pair, got B = 0");
  at::Tensor diff = chosenRewards - rejectedRewards;
  RewardModelLossResult result;
  result.loss = (-at::log_sigmoid(diff)).mean();
  at::Tensor detached = diff.detach();
  result.accuracy = (detached > 0).to(diff.scalar_type()).mean();
  result.margin = detached.mean();
  return result;
}

} // namespace rlg::runtime
