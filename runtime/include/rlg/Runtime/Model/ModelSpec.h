// The shape of the runtime's decoder and the role of its head.
#pragma once

#include "rlg/Spec/ModelPresets.h"
#include "rlg/Spec/RopeScaling.h"

#include <cstdint>
#include <string>

namespace rlg::runtime {

/// What a model's head computes.
enum class ModelRole {
  Policy, ///< next-token logits [B, T, V]
  Value,  ///< one value per token [B, T]
  Reward, ///< one value per token; the score is the last real token's
};

/// "policy", "value" or "reward".
const char *modelRoleName(ModelRole role);
/// The role named `name`; throws std::invalid_argument for another name.
ModelRole parseModelRole(const std::string &name);

/// How a model's forward passes compute. The weights keep their dtype
/// (float32 unless converted) either way.
enum class Precision {
  Fp32, ///< in the weights' dtype
  Bf16, ///< under CUDA autocast to bfloat16: matmuls in bf16, norms,
        ///< softmaxes and the residual stream in float32. CUDA tensors only:
        ///< on the CPU a Bf16 model computes exactly as an Fp32 one.
};

/// "fp32" or "bf16".
const char *precisionName(Precision precision);
/// The precision named `name`; throws std::invalid_argument for another.
Precision parsePrecision(const std::string &name);

/// Every size and constant of a Llama/Qwen2-style decoder.
struct ModelSpec {
  int64_t layers = 0;
  int64_t hidden = 0;
  int64_t ffn = 0;
  int64_t heads = 0;
  int64_t kvHeads = 0;
  int64_t vocab = 0;
  bool tieEmbeddings = false;
  /// RoPE base: 10000 for Llama, 1e6 for Qwen2.
  double ropeTheta = 10000.0;
  /// Biases on the q, k and v projections (Qwen2 has them, Llama not).
  bool qkvBias = false;
  double rmsEps = 1e-6;
  /// The longest sequence (prompt and response) the model accepts.
  int64_t maxPositions = 4096;
  /// How the RoPE frequencies are stretched (none by default; Rotary.h).
  RopeScaling ropeScaling;

  int64_t headDim() const { return heads > 0 ? hidden / heads : 0; }

  /// Throws std::invalid_argument naming the first size that breaks a rule
  /// (positive sizes, hidden divisible by heads into an even head size,
  /// heads divisible by kv_heads, theta and eps positive, a RoPE scaling
  /// factor > 0 and, for llama3 scaling, low_freq_factor > 0,
  /// high_freq_factor > low_freq_factor and original positions >= 1).
  void validate() const;
  /// Throws std::invalid_argument unless the model can be split over
  /// `tensorParallelSize` ranks: heads, kv_heads, ffn and vocab divisible
  /// by it (each rank holds whole heads and equal slices).
  void validateTensorParallel(int64_t tensorParallelSize) const;
};

/// The spec of a schedule's `arch`, with the defaults for the other fields.
ModelSpec modelSpecFromArch(const ModelArch &arch);

/// The spec of the named preset ("tiny", "qwen2.5-0.5b", ...): Qwen2.5
/// presets get theta 1e6 and q/k/v biases. Throws std::invalid_argument for
/// an unknown name.
ModelSpec modelSpecFromPreset(const std::string &preset);

} // namespace rlg::runtime
