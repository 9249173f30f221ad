// The PPO clipped policy loss, with clip-higher and dual clip.
//
// Tensor conventions: see Masked.h. All token tensors are [N, T].
#pragma once

#include "rlg/Runtime/Algorithms/Aggregation.h"
#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/TorchCompat.h"

#include <optional>

namespace rlg::runtime {

struct PpoClipOptions {
  /// The ratio is clipped to [1 - clipLow, 1 + clipHigh]; equal values give
  /// the symmetric PPO clip. Both > 0.
  double clipLow = 0.2;
  double clipHigh = 0.2;
  /// Dual clip c > 1 (Ye et al. 2020): for negative advantages the loss is
  /// capped at -c * adv. Unset: no dual clip.
  std::optional<double> dualClip;
  LossAggregation aggregation = LossAggregation::TokenMean;
};

struct PolicyLossResult {
  /// The aggregated loss: a differentiable scalar.
  at::Tensor loss;
  /// Detached scalars: the fraction of real tokens where the clipped term
  /// was chosen (actor/pg_clipfrac), where the dual clip capped the loss
  /// (actor/pg_clipfrac_lower; 0 without dual clip), and the masked mean of
  /// oldLogProbs - logProbs (actor/ppo_kl).
  at::Tensor clipFraction;
  at::Tensor clipFractionLower;
  at::Tensor approxKl;
  /// actor/pg_loss, actor/pg_clipfrac, actor/pg_clipfrac_lower,
  /// actor/ppo_kl (reads the values to the host).
  MetricMap metrics() const;
};

/// PPO-clip (Schulman et al. 2017), per token with ratio = exp(lp - old_lp):
///   l = max(-adv * ratio, -adv * clamp(ratio, 1 - clipLow, 1 + clipHigh))
///   with dual clip, where adv < 0: l = min(l, -c * adv)
/// aggregated over the mask with options.aggregation.
PolicyLossResult computePpoClipLoss(const at::Tensor &logProbs,
                                    const at::Tensor &oldLogProbs,
                                    const at::Tensor &advantages,
                                    const at::Tensor &mask,
                                    const PpoClipOptions &options = {});

} // namespace rlg::runtime
