// Tensor parallelism's building blocks: the group a model is split over and
// the two differentiable collectives every split layer is made of.
#pragma once

#include "rlg/Runtime/Distributed/Communicator.h"

#include <cstdint>

namespace rlg::runtime {

/// The tensor-parallel group of a model: `size()` ranks each holding a
/// slice of every split weight. A default-constructed value (no group) is
/// the unsplit model.
struct TensorParallel {
  Communicator *group = nullptr;

  int64_t rank() const { return group ? group->rank() : 0; }
  int64_t size() const { return group ? group->size() : 1; }
  bool active() const { return size() > 1; }
  /// [begin, end) of `total` items (heads, vocab rows, ffn columns) that
  /// this rank holds: contiguous, equal slices. total % size() == 0.
  int64_t sliceBegin(int64_t total) const { return total / size() * rank(); }
  int64_t sliceLength(int64_t total) const { return total / size(); }
};

/// Identity forward; all-reduce (sum) of the gradient backward. Placed
/// before a column-parallel layer, whose input is replicated.
at::Tensor copyToTensorParallel(const at::Tensor &x, const TensorParallel &tp);

/// All-reduce (sum) forward; identity backward. Placed after a
/// row-parallel layer, whose outputs are partial sums. The computation
/// after it must be replicated on every rank of the group.
at::Tensor reduceFromTensorParallel(const at::Tensor &x,
                                    const TensorParallel &tp);

/// Not differentiable: the slices of the last dimension gathered from the
/// group, in rank order ([..., n] -> [..., n * size()]).
at::Tensor gatherLastDim(const at::Tensor &x, const TensorParallel &tp);

} // namespace rlg::runtime
