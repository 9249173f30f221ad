// Root-mean-square layer normalisation with a learned scale.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace rlg::runtime {

/// y = x / sqrt(mean(x^2) + eps) * weight over the last dimension; the
/// statistics are computed in float32 whatever x's dtype.
class RMSNormImpl : public torch::nn::Module {
public:
  RMSNormImpl(int64_t dim, double eps);
  at::Tensor forward(const at::Tensor &x);

  at::Tensor weight; // [dim], starts at 1
  double eps;
};
TORCH_MODULE(RMSNorm);

} // namespace rlg::runtime
