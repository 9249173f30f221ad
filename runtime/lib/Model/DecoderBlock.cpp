// One pre-norm decoder block: attention and SwiGLU, each with a residual.
#include "rlg/Runtime/Model/DecoderBlock.h"

namespace rlg::runtime {

DecoderBlockImpl::DecoderBlockImpl(const ModelSpec &spec, TensorParallel tp) {
  inputNorm =
      register_module("input_layernorm", RMSNorm(spec.hidden, spec.rmsEps));
  attention = register_module("self_attn", Attention(spec, tp));
  postAttentionNorm = register_module("post_attention_layernorm",
                                      RMSNorm(spec.hidden, spec.rmsEps));
  mlp = register_module("mlp", FeedForward(spec, tp));
}

at::Tensor DecoderBlockImpl::forward(const at::Tensor &x,
                                     const RotaryAngles &angles,
                                     const at::Tensor &bias, KvCache *cache,
                                     int64_t layer) {
  at::Tensor h = x + attention(inputNorm(x), angles, bias, cache, layer);
  return h + mlp(postAttentionNorm(h));
}

} // namespace rlg::runtime
