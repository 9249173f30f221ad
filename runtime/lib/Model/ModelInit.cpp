// Seeded weight initialisation of the decoder, one generator per parameter.
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Model/Model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/utils.h>

#include <cmath>
#include <string>
#include <vector>

namespace rlg::runtime {
namespace {

/// FNV-1a of the name mixed into the seed with splitmix64: independent,
/// platform-stable streams per parameter.
uint64_t parameterSeed(uint64_t seed, const std::string &name) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : name)
    hash = (hash ^ c) * 1099511628211ull;
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (hash | 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

void ModelImpl::initializeWeights(uint64_t seed) {
  const double std = 0.02;
  const double outputStd =
      std / std::sqrt(2.0 * static_cast<double>(modelSpec.layers));
  torch::NoGradGuard noGrad;
  for (const auto &item : named_parameters(/*recurse=*/true)) {
    const std::string &name = item.key();
    at::Tensor param = item.value();
    if (endsWith(name, "layernorm.weight") || name == "norm.weight") {
      param.fill_(1.0);
      continue;
    }
    if (endsWith(name, ".bias")) {
      param.zero_();
      continue;
    }
    double scale =
        endsWith(name, "o_proj.weight") || endsWith(name, "down_proj.weight")
            ? outputStd
            : std;
    // Drawn on the CPU in float32 so a seed gives the same weights on every
    // device and dtype. A split parameter draws the whole tensor and keeps
    // this rank's slice, so it equals the unsplit model's slice.
    int64_t splitDim = tp.active() ? tensorParallelDim(name) : -1;
    std::vector<int64_t> wholeSizes = param.sizes().vec();
    if (splitDim >= 0)
      wholeSizes[splitDim] *= tp.size();
    at::Generator generator =
        at::make_generator<at::CPUGeneratorImpl>(parameterSeed(seed, name));
    at::Tensor values = at::empty(wholeSizes, at::kFloat);
    values.normal_(0.0, scale, generator);
    if (splitDim >= 0)
      values = sliceForRank(values, name, tp.rank(), tp.size());
    param.copy_(values);
  }
}

} // namespace rlg::runtime
