// The critic's value loss, optionally clipped around the old values.
//
// Tensor conventions: see Masked.h. All token tensors are [N, T].
#pragma once

#include "rlg/Runtime/Algorithms/Aggregation.h"
#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/TorchCompat.h"

#include <optional>

namespace rlg::runtime {

struct ValueLossResult {
  /// The aggregated loss: a differentiable scalar.
  at::Tensor loss;
  /// Detached scalars: the fraction of real tokens where the clipped error
  /// was the larger (critic/vf_clipfrac; 0 without clipping) and the masked
  /// mean of the predictions (critic/vpred_mean).
  at::Tensor clipFraction;
  at::Tensor predictionMean;
  /// critic/vf_loss, critic/vf_clipfrac, critic/vpred_mean.
  MetricMap metrics() const;
};

/// verl's value loss (PPO2's clipped value objective):
///   v_clip = clamp(v, old_v - clip, old_v + clip)
///   l = 0.5 * max((v - ret)^2, (v_clip - ret)^2)
/// or l = 0.5 * (v - ret)^2 without clip; aggregated over the mask.
/// clip > 0 when given.
ValueLossResult
computeValueLoss(const at::Tensor &values, const at::Tensor &oldValues,
                 const at::Tensor &returns, const at::Tensor &mask,
                 std::optional<double> clip = 0.2,
                 LossAggregation aggregation = LossAggregation::TokenMean);

} // namespace rlg::runtime
