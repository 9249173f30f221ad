// Data parallelism's collectives: gradients summed in buckets, a gradient
// norm over split weights, and ZeRO-1's parameter ownership.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"

#include <string>
#include <utility>
#include <vector>

namespace rlg::runtime {

/// The default bucket of the gradient all-reduce: 25 MiB, as PyTorch DDP.
inline constexpr int64_t kGradientBucketBytes = 25ll << 20;

/// Sums the gradients of `parameters` over `group` in place: gradients of
/// one dtype are packed into flat buckets of about `bucketBytes`, each
/// all-reduced once. A parameter without a gradient contributes zeros.
void allReduceGradients(const std::vector<at::Tensor> &parameters,
                        Communicator &group,
                        int64_t bucketBytes = kGradientBucketBytes);

/// clip_grad_norm_ for a model split over `tp`: the squared norms of split
/// parameters (ShardedWeights' tensorParallelDim >= 0) are summed over the
/// group, replicated ones counted once. Scales the gradients by
/// maxNorm / (norm + 1e-6) when that is below 1; returns the norm.
double clipGradientNorm(
    const std::vector<std::pair<std::string, at::Tensor>> &namedParameters,
    double maxNorm, const TensorParallel &tp);

/// ZeRO-1: the data-parallel rank that owns each parameter's optimiser
/// state, balancing element counts greedily in parameter order.
std::vector<int64_t> partitionParameters(const std::vector<at::Tensor> &params,
                                         int64_t parts);

/// After each owner's optimiser step: every parameter takes its owner's
/// values, one flat broadcast per owner and bucket.
void broadcastFromOwners(const std::vector<at::Tensor> &params,
                         const std::vector<int64_t> &owners,
                         Communicator &group,
                         int64_t bucketBytes = kGradientBucketBytes);

} // namespace rlg::runtime
