// Frozen copies of models and weight transfer between models.
#include "rlg/Runtime/Model/ModelCopy.h"

#include <torch/utils.h>

namespace rlg::runtime {

Model frozenCopy(const Model &source) {
  Model copy(source->spec(), source->role(), 0, source->tensorParallel());
  torch::NoGradGuard noGrad;
  auto sourceParams = source->named_parameters(/*recurse=*/true);
  for (auto &item : copy->named_parameters(/*recurse=*/true)) {
    const at::Tensor &from = sourceParams[item.key()];
    // set_data swaps in a fresh clone with the source's device and dtype.
    item.value().set_data(from.detach().clone());
    item.value().set_requires_grad(false);
  }
  auto sourceBuffers = source->named_buffers(/*recurse=*/true);
  for (auto &item : copy->named_buffers(/*recurse=*/true))
    item.value().set_data(sourceBuffers[item.key()].detach().clone());
  copy->eval();
  copy->setPrecision(source->precision());
  return copy;
}

std::vector<std::string> copyMatchingWeights(const Model &from, Model &to) {
  torch::NoGradGuard noGrad;
  std::vector<std::string> copied;
  auto fromParams = from->named_parameters(/*recurse=*/true);
  for (auto &item : to->named_parameters(/*recurse=*/true)) {
    std::string name = item.key();
    const at::Tensor *source = fromParams.find(name);
    if (!source && name == "lm_head.weight")
      source = fromParams.find("embed_tokens.weight");
    if (!source || source->sizes() != item.value().sizes())
      continue;
    item.value().copy_(*source);
    copied.push_back(name);
  }
  return copied;
}

} // namespace rlg::runtime
