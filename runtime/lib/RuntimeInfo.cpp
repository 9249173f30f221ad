// Reports the LibTorch build and devices; the executor joins it later.
#include "rlg/Runtime/RuntimeInfo.h"

#include <torch/torch.h>
#include <torch/version.h>

namespace rlg::runtime {

RuntimeInfo queryRuntimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDevices =
      info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
  return info;
}

double runtimeSelfTest() {
  torch::Tensor a = torch::arange(6, torch::kFloat64).reshape({2, 3});
  torch::Tensor b = torch::ones({3, 2}, torch::kFloat64);
  return torch::matmul(a, b).sum().item<double>();
}

} // namespace rlg::runtime
