// DAPO's dynamic sampling filter and its overlong soft penalty.
//
// Tensor conventions: see Masked.h. Group i of B prompts x n samples is
// rows i*n .. i*n+n-1.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>

namespace rlg::runtime {

struct GroupFilterResult {
  /// Indices (int64, ascending) of the groups to keep: [G'] with G' <= B.
  at::Tensor keptGroups;
  /// Indices (int64, ascending) of their rows: [G' * n].
  at::Tensor keptRows;
};

/// DAPO's dynamic sampling (Yu et al. 2025): keeps the groups whose rewards
/// are not all equal. A group whose n rewards are all equal (standard
/// deviation 0; compared exactly, as max == min) has zero group-relative
/// advantage everywhere and is dropped. seqRewards [N], n >= 2 dividing N.
GroupFilterResult filterZeroVarianceGroups(const at::Tensor &seqRewards,
                                           int64_t groupSize);

/// DAPO's overlong soft penalty for response lengths [N] (any real or
/// integer dtype), with L = maxLength, c = buffer and 0 < c < L:
///   0                   if len <= L - c
///   ((L - c) - len) / c if L - c < len <= L   (falls linearly to -1)
///   -1                  if len > L
/// Returns [N] in float32 (or the lengths' dtype when floating).
at::Tensor computeOverlongPenalty(const at::Tensor &lengths, int64_t maxLength,
                                  int64_t buffer);

} // namespace rlg::runtime
