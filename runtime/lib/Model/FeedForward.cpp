// The SwiGLU feed-forward block of Llama/Qwen2 decoders.
#include "rlg/Runtime/Model/FeedForward.h"

namespace rlg::runtime {

FeedForwardImpl::FeedForwardImpl(const ModelSpec &spec) {
  using torch::nn::LinearOptions;
  gateProj = register_module(
      "gate_proj",
      torch::nn::Linear(LinearOptions(spec.hidden, spec.ffn).bias(false)));
  upProj = register_module(
      "up_proj",
      torch::nn::Linear(LinearOptions(spec.hidden, spec.ffn).bias(false)));
  downProj = register_module(
      "down_proj",
      torch::nn::Linear(LinearOptions(spec.ffn, spec.hidden).bias(false)));
}

at::Tensor FeedForwardImpl::forward(const at::Tensor &x) {
  return downProj(at::silu(gateProj(x)) * upProj(x));
}

} // namespace rlg::runtime
