// The SwiGLU feed-forward block of Llama/Qwen2 decoders.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"
#include "rlg/Runtime/Model/ModelSpec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rlg::runtime {

/// down(silu(gate(x)) * up(x)), no biases: hidden -> ffn -> hidden. Split
/// over `tp`, each rank holds ffn / tp.size() contiguous columns: gate and
/// up are column-parallel, down row-parallel with its partial sums reduced
/// over the group.
class FeedForwardImpl : public torch::nn::Module {
public:
  explicit FeedForwardImpl(const ModelSpec &spec, TensorParallel tp = {});
  at::Tensor forward(const at::Tensor &x);

  torch::nn::Linear gateProj{nullptr}, upProj{nullptr}, downProj{nullptr};

private:
  TensorParallel tp;
};
TORCH_MODULE(FeedForward);

} // namespace rlg::runtime
