// Loss aggregation: how a per-token loss [N, T] becomes one number.
//
// Tensor conventions: see Masked.h.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <string_view>

namespace rlg::runtime {

enum class LossAggregation {
  /// sum(loss * mask) / sum(mask): every real token of the batch weighs the
  /// same (DAPO, PPO).
  TokenMean,
  /// mean over rows of sum_t(loss * mask): Dr. GRPO.
  SeqMeanTokenSum,
  /// mean over rows of sum_t(loss * mask) / sum_t(mask): GRPO.
  SeqMeanTokenMean,
};

/// "token-mean", "seq-mean-token-sum" or "seq-mean-token-mean"; throws
/// std::invalid_argument for anything else.
LossAggregation parseLossAggregation(std::string_view name);
const char *lossAggregationName(LossAggregation mode);

/// Aggregates `loss` [N, T] over the real tokens of `mask` [N, T]. A row (or
/// a batch) without real tokens counts as 1 token of loss 0, so the result
/// is never NaN.
at::Tensor aggregateLoss(const at::Tensor &loss, const at::Tensor &mask,
                         LossAggregation mode);

} // namespace rlg::runtime
