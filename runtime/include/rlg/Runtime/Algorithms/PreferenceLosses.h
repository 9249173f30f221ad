// Preference losses on summed log-probabilities: DPO, IPO and KTO.
//
// Tensor conventions: one value per example, [B]. A pair's log-probability
// is the sum of its response's token log-probs (logprob() of Pairs).
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// The summed log-probabilities of the chosen and rejected responses under
/// the policy and the frozen reference, each [B].
struct PairLogProbs {
  at::Tensor policyChosen;
  at::Tensor policyRejected;
  at::Tensor refChosen;
  at::Tensor refRejected;
};

struct PreferenceLossResult {
  /// Mean loss over the B pairs: a differentiable scalar.
  at::Tensor loss;
  /// Detached scalars. Implicit rewards are scale * (policy - ref) of the
  /// chosen and of the rejected response (scale: beta for DPO, tau for
  /// IPO); accuracy is the fraction of pairs where the chosen reward is
  /// strictly the larger; margin is the mean chosen - rejected reward.
  at::Tensor chosenReward;
  at::Tensor rejectedReward;
  at::Tensor accuracy;
  at::Tensor margin;
  /// "dpo" or "ipo": the metric prefix's loss name.
  const char *lossName = "dpo";
  /// actor/<loss>_loss, actor/rewards/chosen, actor/rewards/rejected,
  /// actor/rewards/accuracies, actor/rewards/margins (TRL's names).
  MetricMap metrics() const;
};

/// DPO (Rafailov et al. 2023), sigmoid form. With
///   h = (policyChosen - policyRejected) - (refChosen - refRejected):
///   loss = mean(-log sigmoid(beta * h)).   beta > 0.
PreferenceLossResult computeDpoLoss(const PairLogProbs &pairs, double beta);

/// IPO (Azar et al. 2023): loss = mean((h - 1 / (2 tau))^2).   tau > 0.
PreferenceLossResult computeIpoLoss(const PairLogProbs &pairs, double tau);

struct KtoOptions {
  double beta = 0.1;
  double desirableWeight = 1.0;
  double undesirableWeight = 1.0;
};

struct KtoLossResult {
  /// Mean weighted loss over the B examples: a differentiable scalar.
  at::Tensor loss;
  /// Detached scalars: the reference point z0 (actor/kto_kl), and the mean
  /// implicit reward beta * (policy - ref) over the desirable and over the
  /// undesirable examples (0 when there are none).
  at::Tensor referencePoint;
  at::Tensor desirableReward;
  at::Tensor undesirableReward;
  /// actor/kto_loss, actor/kto_kl, actor/rewards/chosen,
  /// actor/rewards/rejected.
  MetricMap metrics() const;
};

/// KTO (Ethayarajh et al. 2024), as in TRL's KTOTrainer. With
/// r = policyLogProbs - refLogProbs and the reference point
///   z0 = max(0, mean_batch(r)), detached (no gradient),
/// a desirable example has loss w_d * (1 - sigmoid(beta * (r - z0))), an
/// undesirable one w_u * (1 - sigmoid(beta * (z0 - r))); the loss is their
/// mean over all B examples. `desirable` [B]: bool, or numbers where
/// nonzero means desirable. beta > 0, weights >= 0.
KtoLossResult computeKtoLoss(const at::Tensor &policyLogProbs,
                             const at::Tensor &refLogProbs,
                             const at::Tensor &desirable,
                             const KtoOptions &options = {});

} // namespace rlg::runtime
