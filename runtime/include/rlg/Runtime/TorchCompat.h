// The one place where the LibTorch versions the runtime builds with differ.
//
// The runtime compiles with Debian's LibTorch 1.13 (CPU) and with PyTorch
// 2.x's LibTorch (CUDA). Code elsewhere includes this header instead of
// ATen's and keeps to APIs that are the same in both. Known differences, and
// how the runtime stays clear of them:
//  - Tensor::std/var: the `correction` argument is an int64_t in 1.13 and a
//    Scalar in 2.x; the runtime computes variances itself (Masked.cpp).
//  - c10::optional is its own type in 1.13 and std::optional in 2.x; the
//    runtime's own signatures use std::optional and never pass one to ATen.
//  - Tensor::data<T>() is gone in 2.x; use data_ptr<T>().
//  - ScalarType and its toString moved to a header-only library in 2.9;
//    dtypeName below names the dtypes the runtime meets without it.
//  - at::scaled_dot_product_attention (fused attention) exists from 2.0;
//    scaledDotProductAttention below computes it step by step on 1.13.
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>

#include <cmath>

/// True when the LibTorch being compiled against is at least MAJOR.MINOR.
#define RLG_TORCH_VERSION_AT_LEAST(MAJOR, MINOR)                               \
  (TORCH_VERSION_MAJOR > (MAJOR) ||                                            \
   (TORCH_VERSION_MAJOR == (MAJOR) && TORCH_VERSION_MINOR >= (MINOR)))

namespace rlg::runtime::compat {

/// A dtype's name for error messages ("Float", "Long", ...).
inline const char *dtypeName(at::ScalarType type) {
  switch (type) {
  case at::kFloat:
    return "Float";
  case at::kDouble:
    return "Double";
  case at::kHalf:
    return "Half";
  case at::kBFloat16:
    return "BFloat16";
  case at::kLong:
    return "Long";
  case at::kInt:
    return "Int";
  case at::kShort:
    return "Short";
  case at::kChar:
    return "Char";
  case at::kByte:
    return "Byte";
  case at::kBool:
    return "Bool";
  default:
    return "another dtype";
  }
}

/// softmax(q k^T / sqrt(D) + bias) v for q [B, H, T, D], k and v
/// [B, H, S, D] and an additive bias of q's dtype broadcastable to
/// [B, H, T, S]. The 1.13 path takes the softmax in float32.
inline at::Tensor scaledDotProductAttention(const at::Tensor &q,
                                            const at::Tensor &k,
                                            const at::Tensor &v,
                                            const at::Tensor &bias) {
#if RLG_TORCH_VERSION_AT_LEAST(2, 0)
  return at::scaled_dot_product_attention(q, k, v, bias);
#else
  double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  at::Tensor scores =
      at::matmul(q, k.transpose(-2, -1)).to(at::kFloat) * scale +
      bias.to(at::kFloat);
  return at::matmul(at::softmax(scores, -1).to(v.scalar_type()), v);
#endif
}

} // namespace rlg::runtime::compat
