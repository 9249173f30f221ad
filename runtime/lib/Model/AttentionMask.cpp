// Position ids and the causal + padding attention bias from a 0/1 mask.
#include "rlg/Runtime/Model/AttentionMask.h"

namespace rlg::runtime {

at::Tensor positionIdsFromMask(const at::Tensor &attentionMask) {
  at::Tensor real = attentionMask.to(at::kLong);
  return ((real.cumsum(-1) - 1) * real).clamp_min(0);
}

at::Tensor causalPaddingBias(const at::Tensor &attentionMask,
                             int64_t queryLength, at::ScalarType dtype) {
  int64_t keys = attentionMask.size(1);
  at::TensorOptions longs =
      at::TensorOptions().dtype(at::kLong).device(attentionMask.device());
  at::Tensor queryColumns =
      at::arange(keys - queryLength, keys, longs).unsqueeze(1); // [T, 1]
  at::Tensor keyColumns = at::arange(keys, longs).unsqueeze(0); // [1, S]
  at::Tensor causal = keyColumns <= queryColumns;               // [T, S]
  at::Tensor real = (attentionMask != 0).unsqueeze(1);          // [B, 1, S]
  at::Tensor allowed = causal.unsqueeze(0) & real;              // [B, T, S]
  // Large enough that exp() of it is 0, small enough that adding a score
  // never overflows to -inf (a row of -inf would give NaN).
  double blocked = dtype == at::kHalf ? -3.0e4 : -1.0e9;
  at::Tensor bias =
      at::zeros(allowed.sizes(), attentionMask.options().dtype(dtype));
  bias.masked_fill_(allowed.logical_not(), blocked);
  return bias.unsqueeze(1);
}

at::Tensor lastRealTokenIndex(const at::Tensor &attentionMask) {
  at::Tensor real = (attentionMask != 0).to(at::kLong);
  at::Tensor columns = at::arange(real.size(1), real.options()) + 1;
  return ((real * columns).amax(-1) - 1).clamp_min(0);
}

} // namespace rlg::runtime
