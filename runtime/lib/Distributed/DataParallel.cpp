// Data parallelism's collectives: gradients summed in buckets, a gradient
// norm over split weights, and ZeRO-1's parameter ownership.
#include "rlg/Runtime/Distributed/DataParallel.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"

#include <torch/torch.h>

#include <cmath>

namespace rlg::runtime {

namespace {

/// Consecutive runs of `tensors` of one dtype and device holding about
/// `bucketBytes` each.
std::vector<std::vector<at::Tensor>>
buckets(const std::vector<at::Tensor> &tensors, int64_t bucketBytes) {
  std::vector<std::vector<at::Tensor>> out;
  int64_t bytes = 0;
  for (const at::Tensor &t : tensors) {
    int64_t size = t.numel() * static_cast<int64_t>(t.element_size());
    if (out.empty() || bytes + size > bucketBytes ||
        out.back().front().scalar_type() != t.scalar_type() ||
        out.back().front().device() != t.device()) {
      out.emplace_back();
      bytes = 0;
    }
    out.back().push_back(t);
    bytes += size;
  }
  return out;
}

at::Tensor flatten(const std::vector<at::Tensor> &tensors) {
  std::vector<at::Tensor> flat;
  for (const at::Tensor &t : tensors)
    flat.push_back(t.reshape({-1}));
  return at::cat(flat);
}

void unflattenInto(const at::Tensor &flat, const std::vector<at::Tensor> &out) {
  int64_t offset = 0;
  for (const at::Tensor &t : out) {
    t.copy_(flat.narrow(0, offset, t.numel()).view_as(t));
    offset += t.numel();
  }
}

} // namespace

void allReduceGradients(const std::vector<at::Tensor> &parameters,
                        Communicator &group, int64_t bucketBytes) {
  if (group.size() == 1)
    return;
  torch::NoGradGuard noGrad;
  std::vector<at::Tensor> grads;
  for (const at::Tensor &p : parameters) {
    if (!p.grad().defined())
      const_cast<at::Tensor &>(p).mutable_grad() = at::zeros_like(p);
    grads.push_back(p.grad());
  }
  for (const std::vector<at::Tensor> &bucket : buckets(grads, bucketBytes)) {
    at::Tensor flat = flatten(bucket);
    group.allReduceSum(flat);
    unflattenInto(flat, bucket);
  }
}

double clipGradientNorm(
    const std::vector<std::pair<std::string, at::Tensor>> &namedParameters,
    double maxNorm, const TensorParallel &tp) {
  torch::NoGradGuard noGrad;
  at::Tensor split = at::zeros({1}, at::kDouble);
  at::Tensor replicated = at::zeros({1}, at::kDouble);
  for (const auto &[name, p] : namedParameters) {
    if (!p.grad().defined())
      continue;
    at::Tensor square = p.grad().to(at::kDouble).pow(2).sum().cpu();
    if (tp.active() && tensorParallelDim(name) >= 0)
      split += square;
    else
      replicated += square;
  }
  if (tp.active())
    tp.group->allReduceSum(split);
  double norm = std::sqrt((split + replicated).item<double>());
  double scale = maxNorm / (norm + 1e-6);
  if (std::isfinite(norm) && scale < 1.0)
    for (const auto &item : namedParameters)
      if (item.second.grad().defined())
        item.second.grad().mul_(scale);
  return norm;
}

std::vector<int64_t> partitionParameters(const std::vector<at::Tensor> &params,
                                         int64_t parts) {
  std::vector<int64_t> load(parts, 0), owners;
  for (const at::Tensor &p : params) {
    int64_t least = 0;
    for (int64_t i = 1; i < parts; ++i)
      if (load[i] < load[least])
        least = i;
    owners.push_back(least);
    load[least] += p.numel();
  }
  return owners;
}

void broadcastFromOwners(const std::vector<at::Tensor> &params,
                         const std::vector<int64_t> &owners,
                         Communicator &group, int64_t bucketBytes) {
  if (group.size() == 1)
    return;
  torch::NoGradGuard noGrad;
  for (int64_t owner = 0; owner < group.size(); ++owner) {
    std::vector<at::Tensor> owned;
    for (size_t i = 0; i < params.size(); ++i)
      if (owners[i] == owner)
        owned.push_back(params[i].detach());
    for (const std::vector<at::Tensor> &bucket : buckets(owned, bucketBytes)) {
      at::Tensor flat = flatten(bucket);
      group.broadcast(flat, owner);
      unflattenInto(flat, bucket);
    }
  }
}

} // namespace rlg::runtime
