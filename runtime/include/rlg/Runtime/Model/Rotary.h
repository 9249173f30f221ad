// Rotary position embeddings (RoPE) in the Llama "rotate half" layout.
#pragma once

#include "rlg/Runtime/TorchCompat.h"
#include "rlg/Spec/RopeScaling.h"

namespace rlg::runtime {

/// The cosines and sines of the rotation at each position, [B, T, headDim]
/// each (the headDim / 2 frequencies repeated twice), in float32.
struct RotaryAngles {
  at::Tensor cos;
  at::Tensor sin;
};

/// The headDim / 2 inverse frequencies (float32, on `device`): frequency i
/// is theta^(-2i / headDim), computed in float64, then scaled as
/// transformers' rope types do: Linear divides every frequency by the
/// factor; Llama3 (`_compute_llama3_parameters`) divides those whose
/// wavelength 2 pi / f exceeds originalMaxPositions / lowFreqFactor by the
/// factor, keeps those below originalMaxPositions / highFreqFactor, and
/// blends the ones between: (1 - s) f / factor + s f with
/// s = (originalMaxPositions / wavelength - low) / (high - low).
at::Tensor rotaryInverseFrequencies(int64_t headDim, double theta,
                                    const RopeScaling &scaling = {},
                                    at::Device device = at::kCPU);

/// Angles for integer positions [B, T]: position times each inverse
/// frequency (rotaryInverseFrequencies).
RotaryAngles computeRotaryAngles(const at::Tensor &positions, int64_t headDim,
                                 double theta, const RopeScaling &scaling = {});

/// Rotates queries or keys [B, H, T, headDim] by the angles of their
/// positions; the result has x's dtype. The dot product of a rotated query
/// and key depends only on their positions' difference.
at::Tensor applyRotary(const at::Tensor &x, const RotaryAngles &angles);

} // namespace rlg::runtime
