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
//  - CUDA autocast: 1.13 has at::autocast::is_enabled / set_enabled /
//    get_autocast_gpu_dtype / set_autocast_gpu_dtype; 2.4 replaced them with
//    is_autocast_enabled(at::kCUDA) / set_autocast_enabled(at::kCUDA, on) /
//    get_autocast_dtype(at::kCUDA) / set_autocast_dtype(at::kCUDA, dtype).
//    CudaAutocastGuard below hides both.
//  - An optimiser's per-parameter state map is keyed by the parameter's
//    TensorImpl: as a string (the pointer streamed, c10::guts::to_string)
//    in 1.13, as the pointer itself in later versions; optimizerStateKey below
//    follows the map's key type.
//  - c10d's process-group classes: Distributed/C10dCompat.h.
//  - CUDA builds only (RLG_TORCH_HAS_CUDA, set by runtime/CMakeLists.txt for
//    a LibTorch with CUDA): the caching allocator's statistics, for
//    cudaPeakAllocatedBytes below.
#pragma once

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>
#ifdef RLG_TORCH_HAS_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>

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

/// Whether CUDA autocast is on in this thread.
inline bool cudaAutocastEnabled() {
#if RLG_TORCH_VERSION_AT_LEAST(2, 4)
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

/// The dtype CUDA autocast casts to (Half unless someone set another).
inline at::ScalarType cudaAutocastDtype() {
#if RLG_TORCH_VERSION_AT_LEAST(2, 4)
  return at::autocast::get_autocast_dtype(at::kCUDA);
#else
  return at::autocast::get_autocast_gpu_dtype();
#endif
}

/// Turns CUDA autocast on or off in this thread and sets its dtype.
inline void setCudaAutocast(bool enabled, at::ScalarType dtype) {
#if RLG_TORCH_VERSION_AT_LEAST(2, 4)
  at::autocast::set_autocast_enabled(at::kCUDA, enabled);
  at::autocast::set_autocast_dtype(at::kCUDA, dtype);
#else
  at::autocast::set_enabled(enabled);
  at::autocast::set_autocast_gpu_dtype(dtype);
#endif
}

/// CUDA autocast for a scope, as Python's `with torch.autocast("cuda",
/// dtype)`: matmuls and linear layers of CUDA tensors run in `dtype`,
/// reductions and softmaxes in float32; CPU tensors are not affected.
/// Restores the previous state when it ends. Casts of float32 weights are
/// cached while any guard is open and dropped when the outermost one
/// ends, so a weight updated in place (an optimiser step) is never read
/// through a stale copy. With `enabled` false it changes nothing.
class CudaAutocastGuard {
public:
  explicit CudaAutocastGuard(bool enabled, at::ScalarType dtype = at::kBFloat16)
      : active(enabled) {
    if (!active)
      return;
    wasEnabled = cudaAutocastEnabled();
    previousDtype = cudaAutocastDtype();
    setCudaAutocast(true, dtype);
    at::autocast::increment_nesting();
  }
  ~CudaAutocastGuard() {
    if (!active)
      return;
    if (at::autocast::decrement_nesting() == 0)
      at::autocast::clear_cache();
    setCudaAutocast(wasEnabled, previousDtype);
  }
  CudaAutocastGuard(const CudaAutocastGuard &) = delete;
  CudaAutocastGuard &operator=(const CudaAutocastGuard &) = delete;

private:
  bool active;
  bool wasEnabled = false;
  at::ScalarType previousDtype = at::kHalf;
};

/// The most bytes of tensors the CUDA caching allocator has held at once
/// on `device` (Python's torch.cuda.max_memory_allocated), or -1 when the
/// LibTorch was built without CUDA.
inline int64_t cudaPeakAllocatedBytes(int device) {
#ifdef RLG_TORCH_HAS_CUDA
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(
      static_cast<c10::DeviceIndex>(device));
  return stats.allocated_bytes[0].peak; // [0]: StatType::AGGREGATE
#else
  (void)device;
  return -1;
#endif
}

/// The key of parameter `param` in an optimiser's state map `Map`.
template <typename Map>
typename Map::key_type optimizerStateKey(const at::Tensor &param) {
  using Key = typename Map::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream text; // what c10::guts::to_string writes
    text << param.unsafeGetTensorImpl();
    return text.str();
  } else
    return static_cast<Key>(param.unsafeGetTensorImpl());
}

} // namespace rlg::runtime::compat
