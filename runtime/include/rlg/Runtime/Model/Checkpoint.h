// Activation checkpointing of a decoder block: recompute it in backward.
#pragma once

#include "rlg/Runtime/Model/DecoderBlock.h"

namespace rlg::runtime {

/// The block's output, like block.forward(x, angles, bias), but keeping only
/// the block's inputs for backward: the backward pass runs the block again
/// with gradients on and differentiates that. LibTorch's C++ API has no
/// torch.utils.checkpoint, so this is a custom autograd function whose
/// inputs are x and the block's parameters. Without a cache only; the block
/// must compute the same thing twice (it has no dropout).
at::Tensor checkpointedBlockForward(DecoderBlockImpl &block,
                                    const at::Tensor &x,
                                    const RotaryAngles &angles,
                                    const at::Tensor &bias);

} // namespace rlg::runtime
