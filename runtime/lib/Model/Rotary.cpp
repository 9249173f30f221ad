// Rotary position embeddings (RoPE) in the Llama "rotate half" layout.
#include "rlg/Runtime/Model/Rotary.h"

#include <cmath>

namespace rlg::runtime {

namespace {

/// Llama 3.1's frequency scaling, on float64 frequencies.
at::Tensor llama3Scaled(const at::Tensor &inverse, const RopeScaling &s) {
  double original = static_cast<double>(s.originalMaxPositions);
  double lowFreqWavelength = original / s.lowFreqFactor;
  double highFreqWavelength = original / s.highFreqFactor;
  at::Tensor wavelength = 2 * M_PI / inverse;
  // Long wavelengths (low frequencies) are divided by the factor.
  at::Tensor scaled =
      at::where(wavelength > lowFreqWavelength, inverse / s.factor, inverse);
  at::Tensor smooth = (original / wavelength - s.lowFreqFactor) /
                      (s.highFreqFactor - s.lowFreqFactor);
  at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  at::Tensor medium = (wavelength >= highFreqWavelength)
                          .logical_and(wavelength <= lowFreqWavelength);
  return at::where(medium, smoothed, scaled);
}

} // namespace

at::Tensor rotaryInverseFrequencies(int64_t headDim, double theta,
                                    const RopeScaling &scaling,
                                    at::Device device) {
  at::TensorOptions doubles =
      at::TensorOptions().dtype(at::kDouble).device(device);
  // Exponents in float64 keep the frequencies the same on every device.
  at::Tensor exponents =
      at::arange(0, headDim, 2, doubles) / static_cast<double>(headDim);
  at::Tensor inverse = at::pow(theta, -exponents);
  if (scaling.type == RopeScalingType::Linear)
    inverse = inverse / scaling.factor;
  else if (scaling.type == RopeScalingType::Llama3)
    inverse = llama3Scaled(inverse, scaling);
  return inverse.to(at::kFloat);
}

RotaryAngles computeRotaryAngles(const at::Tensor &positions, int64_t headDim,
                                 double theta, const RopeScaling &scaling) {
  at::Tensor inverseFrequencies =
      rotaryInverseFrequencies(headDim, theta, scaling, positions.device());
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
