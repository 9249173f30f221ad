// One pre-norm decoder block: attention and SwiGLU, each with a residual.
#pragma once

#include "rlg/Runtime/Model/Attention.h"
#include "rlg/Runtime/Model/FeedForward.h"
#include "rlg/Runtime/Model/RMSNorm.h"

namespace rlg::runtime {

/// h = x + attn(norm1(x)); out = h + mlp(norm2(h)). Split over `tp`, the
/// attention and the MLP are split and the norms replicated.
class DecoderBlockImpl : public torch::nn::Module {
public:
  explicit DecoderBlockImpl(const ModelSpec &spec, TensorParallel tp = {});

  /// x [B, T, hidden] -> [B, T, hidden]; see AttentionImpl::forward.
  at::Tensor forward(const at::Tensor &x, const RotaryAngles &angles,
                     const at::Tensor &bias, KvCache *cache = nullptr,
                     int64_t layer = 0);

  RMSNorm inputNorm{nullptr};
  Attention attention{nullptr};
  RMSNorm postAttentionNorm{nullptr};
  FeedForward mlp{nullptr};
};
TORCH_MODULE(DecoderBlock);

} // namespace rlg::runtime
