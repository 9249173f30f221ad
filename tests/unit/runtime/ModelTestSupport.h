// Tiny model specs and comparisons shared by the model and generation tests.
#pragma once

#include "rlg/Runtime/Model/Model.h"

#include <gtest/gtest.h>

#include <vector>

namespace rlg::runtime::testing {

/// 2 layers, hidden 32, 4 query heads sharing 2 key/value heads, 64 ids.
inline ModelSpec tinySpec(bool tied = true) {
  ModelSpec spec;
  spec.layers = 2;
  spec.hidden = 32;
  spec.ffn = 64;
  spec.heads = 4;
  spec.kvHeads = 2;
  spec.vocab = 64;
  spec.tieEmbeddings = tied;
  spec.maxPositions = 128;
  return spec;
}

/// max |a - b| over all elements (same shape).
inline double maxAbsDiff(const at::Tensor &a, const at::Tensor &b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  if (a.sizes() != b.sizes())
    return 1e30;
  if (a.numel() == 0)
    return 0;
  return (a.detach().to(at::kDouble) - b.detach().to(at::kDouble))
      .abs()
      .max()
      .item<double>();
}

/// A row of int64 ids as a [1, T] tensor.
inline at::Tensor idsRow(const std::vector<int64_t> &ids) {
  return at::tensor(ids, at::kLong).unsqueeze(0);
}

} // namespace rlg::runtime::testing
