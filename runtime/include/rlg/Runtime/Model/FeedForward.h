// The SwiGLU feed-forward block of Llama/Qwen2 decoders.
#pragma once

#include "rlg/Runtime/Model/ModelSpec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rlg::runtime {

/// down(silu(gate(x)) * up(x)), no biases: hidden -> ffn -> hidden.
class FeedForwardImpl : public torch::nn::Module {
public:
  explicit FeedForwardImpl(const ModelSpec &spec);
  at::Tensor forward(const at::Tensor &x);

  torch::nn::Linear gateProj{nullptr}, upProj{nullptr}, downProj{nullptr};
};
TORCH_MODULE(FeedForward);

} // namespace rlg::runtime
