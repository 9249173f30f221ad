// Rotary position embeddings (RoPE) in the Llama "rotate half" layout.
#include "rlg/Runtime/Model/Rotary.h"

namespace rlg::runtime {

RotaryAngles computeRotaryAngles(const at::Tensor &positions, int64_t headDim,
                                 double theta) {
  at::TensorOptions floats =
      at::TensorOptions().dtype(at::kFloat).device(positions.device());
  // Exponents in float64 keep the frequencies the same on every device.
  at::Tensor exponents = at::arange(0, headDim, 2, floats.dtype(at::kDouble)) /
                         static_cast<double>(headDim);
  at::Tensor inverseFrequencies = at::pow(theta, -exponents).to(at::kFloat);
  at::Tensor angles = positions.to(at::kFloat).unsqueeze(-1) *
                      inverseFrequencies; // [B, T, headDim / 2]
  at::Tensor both = at::cat({angles, angles}, -1);
  return {both.cos(), both.sin()};
}

at::Tensor applyRotary(const at::Tensor &x, const RotaryAngles &angles) {
  int64_t half = x.size(-1) / 2;
  at::Tensor x32 = x.to(at::kFloat);
  at::Tensor rotatedHalf =
      at::cat({-x32.narrow(-1, half, half), x32.narrow(-1, 0, half)}, -1);
  // [B, T, D] -> [B, 1, T, D] broadcasts over the heads.
  at::Tensor cos = angles.cos.unsqueeze(1);
  at::Tensor sin = angles.sin.unsqueeze(1);
  return (x32 * cos + rotatedHalf * sin).to(x.scalar_type());
}

} // namespace rlg::runtime
