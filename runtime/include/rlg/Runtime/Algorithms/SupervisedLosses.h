// Supervised losses: SFT negative log-likelihood, Bradley-Terry reward loss.
//
// Tensor conventions: see Masked.h.
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// SFT: the negative log-likelihood of the demonstrations, token-mean over
/// the mask: -sum(logProbs * mask) / sum(mask). logProbs, mask [N, T].
at::Tensor computeSftLoss(const at::Tensor &tokenLogProbs,
                          const at::Tensor &mask);

struct RewardModelLossResult {
  /// Mean loss over the B pairs: a differentiable scalar.
  at::Tensor loss;
  /// Detached scalars: the fraction of pairs with rChosen > rRejected, and
  /// the mean of rChosen - rRejected.
  at::Tensor accuracy;
  at::Tensor margin;
  /// rm/loss, rm/accuracy, rm/margin.
  MetricMap metrics() const;
};

/// Bradley-Terry (Bradley & Terry 1952; Ouyang et al. 2022's reward model
/// loss): mean(-log sigmoid(rChosen - rRejected)), rewards [B] each.
RewardModelLossResult
computeBradleyTerryLoss(const at::Tensor &chosenRewards,
                        const at::Tensor &rejectedRewards);

} // namespace rlg::runtime
