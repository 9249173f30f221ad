// Tensor parallelism's differentiable collectives: copy to, reduce from and
// gather over the group a model is split over.
#include "rlg/Runtime/Distributed/TensorParallel.h"

#include <torch/autograd.h>

namespace rlg::runtime {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// The group a function was applied with, kept in its context as an
/// integer (saved_data holds IValues, not pointers).
void saveGroup(AutogradContext *ctx, Communicator *group) {
  ctx->saved_data["group"] = reinterpret_cast<int64_t>(group);
}

Communicator &savedGroup(AutogradContext *ctx) {
  return *reinterpret_cast<Communicator *>(ctx->saved_data["group"].toInt());
}

/// The sum of `x` over the group, in a new tensor.
at::Tensor summedOverGroup(const at::Tensor &x, Communicator &group) {
  at::Tensor sum = x.clone(at::MemoryFormat::Contiguous);
  group.allReduceSum(sum);
  return sum;
}

/// Identity forward; the gradient summed over the group backward.
struct CopyToTensorParallelFunction
    : torch::autograd::Function<CopyToTensorParallelFunction> {
  static at::Tensor forward(AutogradContext *ctx, const at::Tensor &x,
                            int64_t groupAddress) {
    saveGroup(ctx, reinterpret_cast<Communicator *>(groupAddress));
    return x;
  }
  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    return {summedOverGroup(grads[0], savedGroup(ctx)), at::Tensor()};
  }
};

/// The sum over the group forward; identity backward.
struct ReduceFromTensorParallelFunction
    : torch::autograd::Function<ReduceFromTensorParallelFunction> {
  static at::Tensor forward(AutogradContext *ctx, const at::Tensor &x,
                            int64_t groupAddress) {
    auto *group = reinterpret_cast<Communicator *>(groupAddress);
    saveGroup(ctx, group);
    return summedOverGroup(x, *group);
  }
  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    (void)ctx;
    return {grads[0], at::Tensor()};
  }
};

int64_t addressOf(const TensorParallel &tp) {
  return reinterpret_cast<int64_t>(tp.group);
}

} // namespace

at::Tensor copyToTensorParallel(const at::Tensor &x, const TensorParallel &tp) {
  if (!tp.active())
    return x;
  return CopyToTensorParallelFunction::apply(x, addressOf(tp));
}

at::Tensor reduceFromTensorParallel(const at::Tensor &x,
                                    const TensorParallel &tp) {
  if (!tp.active())
    return x;
  return ReduceFromTensorParallelFunction::apply(x, addressOf(tp));
}

at::Tensor gatherLastDim(const at::Tensor &x, const TensorParallel &tp) {
  if (!tp.active())
    return x;
  at::NoGradGuard noGrad;
  // allGather concatenates along dimension 0: bring the last one there.
  at::Tensor front = x.detach().movedim(-1, 0).contiguous();
  return tp.group->allGather(front).movedim(0, -1).contiguous();
}

} // namespace rlg::runtime
