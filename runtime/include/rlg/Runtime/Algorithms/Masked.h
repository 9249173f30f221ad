// Masked reductions over padded token batches: mean, whitening, broadcast.
//
// Conventions for every header under rlg/Runtime/Algorithms:
//  - a batch of responses is padded to [N, T]: N sequences of at most T
//    response tokens; `mask` [N, T] is 1 at real tokens and 0 at padding
//    (float, or bool which is converted); every row has at least one real
//    token unless a function says otherwise;
//  - sequence-level values are [N]; per-token log-probabilities are [N, T];
//  - rollouts of B prompts with n samples each are ordered so that group i
//    is rows i*n .. i*n+n-1 (N = B*n);
//  - every function checks its arguments and throws std::invalid_argument
//    naming the argument and the shapes;
//  - token-level results are 0 at padding positions (except the elementwise
//    KL estimators, which take no mask).
#pragma once

#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// Sum of values over real tokens: a scalar.
at::Tensor maskedSum(const at::Tensor &values, const at::Tensor &mask);

/// Mean of values over real tokens: a scalar. With no real token at all the
/// result is 0 (the token count is clamped at 1).
at::Tensor maskedMean(const at::Tensor &values, const at::Tensor &mask);

/// Unbiased (Bessel-corrected, divides by count - 1) variance of values over
/// real tokens: a scalar. Throws if fewer than 2 tokens are real.
at::Tensor maskedVariance(const at::Tensor &values, const at::Tensor &mask);

/// (values - mean) / sqrt(var + eps) over the real tokens, with the masked
/// mean and unbiased masked variance; adds the mean back when !shiftMean.
/// Padding positions are 0. Throws if fewer than 2 tokens are real.
at::Tensor whitenMasked(const at::Tensor &values, const at::Tensor &mask,
                        bool shiftMean = true, double eps = 1e-8);

/// Sequence values [N] repeated over each row's real tokens: [N, T], 0 at
/// padding.
at::Tensor broadcastToTokens(const at::Tensor &seqValues,
                             const at::Tensor &mask);

/// Number of real tokens per row: [N], in the mask's floating dtype.
at::Tensor tokenCounts(const at::Tensor &mask);

} // namespace rlg::runtime
