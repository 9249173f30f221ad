// Pairwise preference losses on summed log-probabilities: DPO and IPO.
#include "rlg/Runtime/Algorithms/PreferenceLosses.h"

#include "Checks.h"

#include <string>

namespace rlg::runtime {
using namespace detail;

MetricMap PreferenceLossResult::metrics() const {
  return {{std::string("actor/") + lossName + "_loss", scalarValue(loss)},
          {"actor/rewards/chosen", scalarValue(chosenReward)},
          {"actor/rewards/rejected", scalarValue(rejectedReward)},
          {"actor/rewards/accuracies", scalarValue(accuracy)},
          {"actor/rewards/margins", scalarValue(margin)}};
}

namespace {
void checkPairs(const char *fn, const PairLogProbs &pairs) {
  checkRank(fn, "policyChosen", pairs.policyChosen, 1, "[B]");
  checkRank(fn, "policyRejected", pairs.policyRejected, 1, "[B]");
  checkRank(fn, "refChosen", pairs.refChosen, 1, "[B]");
  checkRank(fn, "refRejected", pairs.refRejected, 1, "[B]");
  checkSameShape(fn, "policyChosen", pairs.policyChosen, "policyRejected",
                 pairs.policyRejected);
  checkSameShape(fn, "policyChosen", pairs.policyChosen, "refChosen",
                 pairs.refChosen);
  checkSameShape(fn, "policyChosen", pairs.policyChosen, "refRejected",
                 pairs.refRejected);
  if (pairs.policyChosen.size(0) < 1)
    fail(fn, "needs at least one pair, got B = 0");
}

// The log-ratio difference h and the metrics with rewards scaled by `scale`.
at::Tensor logRatioMargin(const PairLogProbs &pairs, double scale,
                          PreferenceLossResult &result) {
  at::Tensor chosen = pairs.policyChosen - pairs.refChosen;
  at::Tensor rejected = pairs.policyRejected - pairs.refRejected;
  at::Tensor chosenReward = scale * chosen.detach();
  at::Tensor rejectedReward = scale * rejected.detach();
  result.chosenReward = chosenReward.mean();
  result.rejectedReward = rejectedReward.mean();
  result.accuracy =
      (chosenReward > rejectedReward).to(chosenReward.scalar_type()).mean();
  result.margin = (chosenReward - rejectedReward).mean();
  return chosen - rejected;
}
} // namespace

PreferenceLossResult computeDpoLoss(const PairLogProbs &pairs, double beta) {
  const char *fn = "computeDpoLoss";
  checkPairs(fn, pairs);
  checkGreater(fn, "beta", beta, 0.0);
  PreferenceLossResult result;
  result.lossName = "dpo";
  at::Tensor h = logRatioMargin(pairs, beta, result);
  result.loss = (-at::log_sigmoid(beta * h)).mean();
  return result;
}

PreferenceLossResult computeIpoLoss(const PairLogProbs &pairs, double tau) {
  const char *fn = "computeIpoLoss";
  checkPairs(fn, pairs);
  checkGreater(fn, "tau", tau, 0.0);
  PreferenceLossResult result;
  result.lossName = "ipo";
  at::Tensor h = logRatioMargin(pairs, tau, result);
  at::Tensor gap = h - 1.0 / (2.0 * tau);
  result.loss = (gap * gap).mean();
  return result;
}

} // namespace rlg::runtime
