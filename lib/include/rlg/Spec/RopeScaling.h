// How a model stretches its rotary frequencies to longer contexts.
#pragma once

#include <cstdint>

namespace rlg {

/// The RoPE frequency scalings the runtime implements (Hugging Face's
/// rope_type "default", "linear" and "llama3").
enum class RopeScalingType {
  None,   ///< frequency i is theta^(-2i / head_dim)
  Linear, ///< every frequency divided by `factor`
  Llama3, ///< low frequencies divided by `factor`, high ones kept, a smooth
          ///< blend between (Llama 3.1's scheme)
};

/// A model's RoPE scaling and its constants (unused ones keep defaults).
struct RopeScaling {
  RopeScalingType type = RopeScalingType::None;
  double factor = 1.0;
  /// Llama3 only: wavelengths above originalMaxPositions / lowFreqFactor are
  /// scaled, those below originalMaxPositions / highFreqFactor are kept.
  double lowFreqFactor = 1.0;
  double highFreqFactor = 4.0;
  /// Llama3 only: the context length the model was pre-trained with.
  int64_t originalMaxPositions = 8192;

  bool operator==(const RopeScaling &other) const {
    return type == other.type && factor == other.factor &&
           lowFreqFactor == other.lowFreqFactor &&
           highFreqFactor == other.highFreqFactor &&
           originalMaxPositions == other.originalMaxPositions;
  }
  bool operator!=(const RopeScaling &other) const { return !(*this == other); }
};

/// "none", "linear" or "llama3".
inline const char *ropeScalingTypeName(RopeScalingType type) {
  switch (type) {
  case RopeScalingType::Linear:
    return "linear";
  case RopeScalingType::Llama3:
    return "llama3";
  case RopeScalingType::None:
    break;
  }
  return "none";
}

} // namespace rlg
