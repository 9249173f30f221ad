// Rotary position embeddings (RoPE) in the Llama "rotate half" layout.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

namespace rlg::runtime {

/// The cosines and sines of the rotation at each position, [B, T, headDim]
/// each (the headDim / 2 frequencies repeated twice), in float32.
struct RotaryAngles {
  at::Tensor cos;
  at::Tensor sin;
};

/// Angles for integer positions [B, T]: frequency i is
/// theta^(-2i / headDim).
RotaryAngles computeRotaryAngles(const at::Tensor &positions, int64_t headDim,
                                 double theta);

/// Rotates queries or keys [B, H, T, headDim] by the angles of their
/// positions; the result has x's dtype. The dot product of a rotated query
/// and key depends only on their positions' difference.
at::Tensor applyRotary(const at::Tensor &x, const RotaryAngles &angles);

} // namespace rlg::runtime
