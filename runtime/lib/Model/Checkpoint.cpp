// Activation checkpointing of a decoder block: recompute it in backward.
#include "rlg/Runtime/Model/Checkpoint.h"

#include "rlg/Runtime/TorchCompat.h"

#include <torch/autograd.h>

namespace rlg::runtime {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// Forward without a graph; backward recomputes with one and returns the
/// gradients of x and of every parameter.
struct CheckpointedBlock : torch::autograd::Function<CheckpointedBlock> {
  static at::Tensor forward(AutogradContext *ctx, DecoderBlockImpl *block,
                            const at::Tensor &x, const at::Tensor &cos,
                            const at::Tensor &sin, const at::Tensor &bias,
                            at::TensorList parameters) {
    (void)parameters; // Inputs only so that their gradients flow back.
    ctx->saved_data["block"] = reinterpret_cast<int64_t>(block);
    // Backward runs outside the caller's autocast scope (and on CUDA in
    // another thread): remember it, so the recomputation matches.
    ctx->saved_data["autocast"] = compat::cudaAutocastEnabled();
    ctx->saved_data["autocast_dtype"] =
        static_cast<int64_t>(compat::cudaAutocastDtype());
    ctx->save_for_backward({x, cos, sin, bias});
    return block->forward(x, RotaryAngles{cos, sin}, bias);
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    auto *block =
        reinterpret_cast<DecoderBlockImpl *>(ctx->saved_data["block"].toInt());
    variable_list saved = ctx->get_saved_variables();
    std::vector<at::Tensor> parameters = block->parameters();
    // Gradients in apply()'s argument order: block, x, cos, sin, bias, then
    // one per parameter; undefined where none is needed.
    variable_list result(5 + parameters.size());

    at::Tensor x = saved[0].detach().requires_grad_(saved[0].requires_grad());
    at::Tensor output;
    {
      at::AutoGradMode enable(true);
      compat::CudaAutocastGuard autocast(
          ctx->saved_data["autocast"].toBool(),
          static_cast<at::ScalarType>(
              ctx->saved_data["autocast_dtype"].toInt()));
      output = block->forward(x, RotaryAngles{saved[1], saved[2]}, saved[3]);
    }
    variable_list wrt;
    std::vector<size_t> slots;
    if (x.requires_grad()) {
      wrt.push_back(x);
      slots.push_back(1);
    }
    for (size_t i = 0; i < parameters.size(); ++i) {
      if (parameters[i].requires_grad()) {
        wrt.push_back(parameters[i]);
        slots.push_back(5 + i);
      }
    }
    if (wrt.empty() || !output.requires_grad())
      return result;
    variable_list computed =
        torch::autograd::grad({output}, wrt, {grads[0]},
                              /*retain_graph=*/false, /*create_graph=*/false,
                              /*allow_unused=*/true);
    for (size_t i = 0; i < slots.size(); ++i)
      result[slots[i]] = computed[i];
    return result;
  }
};

} // namespace

at::Tensor checkpointedBlockForward(DecoderBlockImpl &block,
                                    const at::Tensor &x,
                                    const RotaryAngles &angles,
                                    const at::Tensor &bias) {
  std::vector<at::Tensor> parameters = block.parameters();
  return CheckpointedBlock::apply(&block, x, angles.cos, angles.sin, bias,
                                  at::TensorList(parameters));
}

} // namespace rlg::runtime
