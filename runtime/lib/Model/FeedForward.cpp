// The SwiGLU feed-forward block of Llama/Qwen2 decoders.
#include "rlg/Runtime/Model/FeedForward.h"

namespace rlg::runtime {

FeedForwardImpl::FeedForwardImpl(const ModelSpec &spec, TensorParallel tp)
    : tp(tp) {
  using torch::nn::LinearOptions;
  int64_t ffn = tp.sliceLength(spec.ffn);
  gateProj = register_module(
      "gate_proj",
      torch::nn::Linear(LinearOptions(spec.hidden, ffn).bias(false)));
  upProj = register_module(
      "up_proj",
      torch::nn::Linear(LinearOptions(spec.hidden, ffn).bias(false)));
  downProj = register_module(
      "down_proj",
      torch::nn::Linear(LinearOptions(ffn, spec.hidden).bias(false)));
}

at::Tensor FeedForwardImpl::forward(const at::Tensor &x) {
  at::Tensor input = copyToTensorParallel(x, tp);
  at::Tensor partial = downProj(at::silu(gateProj(input)) * upProj(input));
  return reduceFromTensorParallel(partial, tp);
}

} // namespace rlg::runtime
