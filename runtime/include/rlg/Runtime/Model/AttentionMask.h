// Position ids and the causal + padding attention bias from a 0/1 mask.
//
// Conventions: a batch of sequences is [B, S]; attention_mask is 1 at real
// tokens and 0 at padding. Prompts are LEFT-padded (padding before the
// first real token) and responses right-padded, so a row reads
// [pad .. pad, prompt .., response .., pad ..]. Positions count real tokens
// only: the first real token is at position 0 whatever padding precedes it,
// so a prompt gets the same positions, and the same logits, with or without
// left padding.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// Position ids [B, S] (int64) of a mask [B, S]: the number of real tokens
/// before each one; padding positions get 0.
at::Tensor positionIdsFromMask(const at::Tensor &attentionMask);

/// The additive attention bias [B, 1, T, S] for the last T of S keys: 0
/// where query t (at column S - T + t) may see key s (s <= S - T + t and s
/// is real), a large negative number (-1e9; -3e4 in float16) elsewhere.
/// Finite, so a padding query that sees no key gets a uniform (ignored)
/// distribution rather than NaN.
at::Tensor causalPaddingBias(const at::Tensor &attentionMask,
                             int64_t queryLength, at::ScalarType dtype);

/// The index [B] (int64) of each row's last real token; a row with no real
/// token gets 0.
at::Tensor lastRealTokenIndex(const at::Tensor &attentionMask);

} // namespace rlg::runtime
