// Per-token entropy and log-probabilities from logits [N, T, V].
//
// Tensor conventions: see Masked.h; V is the vocabulary size.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// The entropy H = -sum_v p_v log p_v of softmax(logits) at every position:
/// [N, T, V] -> [N, T]. Computed from log_softmax, so it is stable for large
/// logits; a logit of -inf contributes 0 (and a finite gradient).
/// Aggregate with aggregateLoss for actor/entropy.
at::Tensor computeEntropyFromLogits(const at::Tensor &logits);

/// log softmax(logits)[tokens]: [N, T, V] logits and [N, T] integer token
/// ids in [0, V) -> [N, T] log-probabilities.
at::Tensor computeTokenLogProbs(const at::Tensor &logits,
                                const at::Tensor &tokens);

} // namespace rlg::runtime
