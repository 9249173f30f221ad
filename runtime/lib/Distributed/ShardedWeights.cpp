// How each decoder parameter is split under tensor parallelism, and moving
// whole weights into and out of a split model.
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Model/Model.h"

#include <torch/utils.h>

#include <stdexcept>
#include <vector>

namespace rlg::runtime {
namespace {

/// Whether `name` is `suffix` or ends with "." + suffix.
bool namesParameter(const std::string &name, const std::string &suffix) {
  if (name.size() < suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  return name.size() == suffix.size() ||
         name[name.size() - suffix.size() - 1] == '.';
}

std::string shapeText(at::IntArrayRef sizes) {
  std::string text = "[";
  for (size_t i = 0; i < sizes.size(); ++i)
    text += (i ? ", " : "") + std::to_string(sizes[i]);
  return text + "]";
}

/// The whole shape of a parameter whose slice of `size` has `local`'s.
std::vector<int64_t> wholeShape(const at::Tensor &local,
                                const std::string &name, int64_t size) {
  std::vector<int64_t> sizes = local.sizes().vec();
  int64_t dim = tensorParallelDim(name);
  if (size > 1 && dim >= 0)
    sizes[dim] *= size;
  return sizes;
}

} // namespace

int64_t tensorParallelDim(const std::string &name) {
  static const char *const columnParallel[] = {
      "q_proj.weight",    "q_proj.bias",    "k_proj.weight",
      "k_proj.bias",      "v_proj.weight",  "v_proj.bias",
      "gate_proj.weight", "up_proj.weight", "embed_tokens.weight",
      "lm_head.weight"};
  static const char *const rowParallel[] = {"o_proj.weight",
                                            "down_proj.weight"};
  for (const char *suffix : columnParallel)
    if (namesParameter(name, suffix))
      return 0;
  for (const char *suffix : rowParallel)
    if (namesParameter(name, suffix))
      return 1;
  return -1;
}

at::Tensor sliceForRank(const at::Tensor &full, const std::string &name,
                        int64_t rank, int64_t size) {
  if (size < 1 || rank < 0 || rank >= size)
    throw std::invalid_argument("sliceForRank: rank " + std::to_string(rank) +
                                " is not in a tensor-parallel group of " +
                                std::to_string(size));
  int64_t dim = tensorParallelDim(name);
  if (dim < 0 || size == 1)
    return full;
  if (full.dim() <= dim || full.size(dim) % size != 0)
    throw std::invalid_argument(
        "sliceForRank: parameter '" + name + "' of shape " +
        shapeText(full.sizes()) + " cannot be split into " +
        std::to_string(size) + " equal slices along dimension " +
        std::to_string(dim));
  int64_t length = full.size(dim) / size;
  return full.narrow(dim, rank * length, length);
}

void loadFullWeights(ModelImpl &model,
                     const std::map<std::string, at::Tensor> &full) {
  const TensorParallel &tp = model.tensorParallel();
  auto params = model.named_parameters(/*recurse=*/true);
  // Check every parameter before copying any: a failure changes nothing.
  for (const auto &item : params) {
    const std::string &name = item.key();
    auto found = full.find(name);
    if (found == full.end() || !found->second.defined())
      throw std::invalid_argument("loadFullWeights: the weights have no '" +
                                  name + "', which the " +
                                  modelRoleName(model.role()) + " model needs");
    std::vector<int64_t> expected = wholeShape(item.value(), name, tp.size());
    if (found->second.sizes() != at::IntArrayRef(expected))
      throw std::invalid_argument(
          "loadFullWeights: '" + name + "' has shape " +
          shapeText(found->second.sizes()) +
          ", but the model needs the whole " + "shape " + shapeText(expected) +
          (tp.active() ? " (split over " + std::to_string(tp.size()) +
                             " tensor-parallel ranks: " +
                             shapeText(item.value().sizes()) + " each)"
                       : std::string()));
  }
  torch::NoGradGuard noGrad;
  for (auto &item : params)
    item.value().copy_(
        sliceForRank(full.at(item.key()), item.key(), tp.rank(), tp.size()));
}

std::map<std::string, at::Tensor> gatherFullWeights(ModelImpl &model) {
  const TensorParallel &tp = model.tensorParallel();
  torch::NoGradGuard noGrad;
  std::map<std::string, at::Tensor> full;
  // Split parameters are gathered in flat buckets of about 25 MiB (one
  // all-gather each), in the same order on every rank so that they pair up.
  const int64_t bucketBytes = 25ll << 20;
  std::vector<std::pair<std::string, at::Tensor>> bucket; // slices, dim first
  int64_t bytes = 0;
  auto flush = [&] {
    if (bucket.empty())
      return;
    std::vector<at::Tensor> flat;
    for (const auto &item : bucket)
      flat.push_back(item.second.reshape({-1}));
    at::Tensor gathered = tp.group->allGather(at::cat(flat));
    int64_t length = gathered.numel() / tp.size(), offset = 0;
    for (const auto &[name, slice] : bucket) {
      std::vector<at::Tensor> pieces;
      for (int64_t r = 0; r < tp.size(); ++r)
        pieces.push_back(gathered.narrow(0, r * length + offset, slice.numel())
                             .view(slice.sizes()));
      full[name] = at::cat(pieces, 0)
                       .movedim(0, tensorParallelDim(name))
                       .contiguous();
      offset += slice.numel();
    }
    bucket.clear();
    bytes = 0;
  };
  for (const auto &item : model.named_parameters(/*recurse=*/true)) {
    const std::string &name = item.key();
    at::Tensor local = item.value().detach();
    int64_t dim = tensorParallelDim(name);
    if (!tp.active() || dim < 0) {
      full[name] = local;
      continue;
    }
    if (!bucket.empty() &&
        (bytes > bucketBytes ||
         bucket.back().second.scalar_type() != local.scalar_type()))
      flush();
    bucket.emplace_back(name, local.movedim(dim, 0).contiguous());
    bytes += local.numel() * static_cast<int64_t>(local.element_size());
  }
  flush();
  return full;
}

} // namespace rlg::runtime
