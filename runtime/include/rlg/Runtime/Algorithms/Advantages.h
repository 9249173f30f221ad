// Advantage estimators: GAE, GRPO, RLOO, REINFORCE++, ReMax.
//
// Tensor conventions (see Masked.h): token tensors are [N, T] with a mask
// [N, T] (1 real, 0 padding); sequence values are [N]; group i of a rollout
// of B prompts x n samples is rows i*n .. i*n+n-1. Sequence-level
// estimators return [N]; broadcastToTokens (Masked.h) spreads them over the
// real tokens. Masked.h also has the masked whitening.
#pragma once

#include "rlg/Runtime/Algorithms/Masked.h"
#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>

namespace rlg::runtime {

/// Advantages and the returns (critic targets or discounted returns), both
/// [N, T] and 0 at padding.
struct AdvantageResult {
  at::Tensor advantages;
  at::Tensor returns;
};

/// Places each sequence score [N] on the last real token of its row: [N, T]
/// with seqScores[i] at the largest t with mask[i, t] = 1 and 0 elsewhere. A
/// row with no real token gets nothing.
at::Tensor placeOnLastToken(const at::Tensor &seqScores,
                            const at::Tensor &mask);

/// Token rewards from a sequence score and per-token terms (e.g. a KL
/// penalty): placeOnLastToken(seqScores) + tokenTerms * mask. `tokenTerms`
/// may be undefined (no per-token terms).
at::Tensor combineTokenRewards(const at::Tensor &seqScores,
                               const at::Tensor &tokenTerms,
                               const at::Tensor &mask);

/// Generalised advantage estimation (Schulman et al. 2016) over real tokens:
///   delta_t = r_t + gamma * V_{t'} - V_t,  A_t = delta_t + gamma*lam*A_{t'}
/// where t' is the next real token of the row (V = A = 0 after the last).
/// Padding tokens are skipped, as in verl. returns = advantages + values.
/// The advantages are not whitened: call whitenMasked for that.
/// 0 <= gamma, lam <= 1.
AdvantageResult computeGaeAdvantages(const at::Tensor &tokenRewards,
                                     const at::Tensor &values,
                                     const at::Tensor &mask, double gamma,
                                     double lam);

/// GRPO (Shao et al. 2024, DeepSeekMath): the reward minus its group's mean,
/// divided by (the group's unbiased standard deviation + eps) when
/// stdNormalize. seqRewards [N], n >= 2 dividing N; returns [N].
at::Tensor computeGrpoAdvantages(const at::Tensor &seqRewards,
                                 int64_t groupSize, bool stdNormalize = true,
                                 double eps = 1e-6);

/// RLOO (Ahmadian et al. 2024): the reward minus the mean of the other
/// n - 1 rewards of its group. seqRewards [N], n >= 2 dividing N; [N].
at::Tensor computeRlooAdvantages(const at::Tensor &seqRewards,
                                 int64_t groupSize);

/// REINFORCE++ (Hu 2025): discounted returns G_t = r_t + gamma * G_{t+1}
/// of the token rewards within each row's real tokens, whitened (masked
/// mean and unbiased variance, eps 1e-8) over all real tokens of the batch.
/// advantages: the whitened returns; returns: the raw returns. Needs at
/// least 2 real tokens in the batch. 0 <= gamma <= 1.
AdvantageResult
computeReinforcePlusPlusAdvantages(const at::Tensor &tokenRewards,
                                   const at::Tensor &mask, double gamma);

/// ReMax (Li et al. 2023): the reward minus the greedy response's reward for
/// the same prompt. seqRewards [N = B*n], baselineRewards [B] (one greedy
/// response per prompt, repeated over its group); returns [N].
at::Tensor computeRemaxAdvantages(const at::Tensor &seqRewards,
                                  const at::Tensor &baselineRewards);

} // namespace rlg::runtime
