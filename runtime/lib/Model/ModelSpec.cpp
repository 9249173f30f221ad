// Checks and construction of decoder specs.
#include "rlg/Runtime/Model/ModelSpec.h"

#include <cmath>
#include <stdexcept>

namespace rlg::runtime {
namespace {

[[noreturn]] void invalid(const std::string &message) {
  throw std::invalid_argument("model spec: " + message);
}

void checkPositive(const char *name, int64_t value) {
  if (value < 1)
    invalid(std::string(name) + " must be >= 1, got " + std::to_string(value));
}

void validateRopeScaling(const RopeScaling &scaling) {
  if (scaling.type == RopeScalingType::None)
    return;
  std::string type = ropeScalingTypeName(scaling.type);
  if (!(scaling.factor > 0 && std::isfinite(scaling.factor)))
    invalid(type + " rope scaling: factor must be > 0, got " +
            std::to_string(scaling.factor));
  if (scaling.type != RopeScalingType::Llama3)
    return;
  if (!(scaling.lowFreqFactor > 0))
    invalid("llama3 rope scaling: low_freq_factor must be > 0, got " +
            std::to_string(scaling.lowFreqFactor));
  if (!(scaling.highFreqFactor > scaling.lowFreqFactor) ||
      !std::isfinite(scaling.highFreqFactor))
    invalid("llama3 rope scaling: high_freq_factor (" +
            std::to_string(scaling.highFreqFactor) +
            ") must be greater than low_freq_factor (" +
            std::to_string(scaling.lowFreqFactor) + ")");
  checkPositive("llama3 rope scaling: original_max_positions",
                scaling.originalMaxPositions);
}

} // namespace

const char *modelRoleName(ModelRole role) {
  switch (role) {
  case ModelRole::Policy:
    return "policy";
  case ModelRole::Value:
    return "value";
  case ModelRole::Reward:
    return "reward";
  }
  return "policy";
}

const char *precisionName(Precision precision) {
  return precision == Precision::Bf16 ? "bf16" : "fp32";
}

Precision parsePrecision(const std::string &name) {
  if (name == "fp32")
    return Precision::Fp32;
  if (name == "bf16")
    return Precision::Bf16;
  throw std::invalid_argument("unknown precision '" + name +
                              "'; expected fp32 or bf16");
}

ModelRole parseModelRole(const std::string &name) {
  if (name == "policy")
    return ModelRole::Policy;
  if (name == "value")
    return ModelRole::Value;
  if (name == "reward")
    return ModelRole::Reward;
  throw std::invalid_argument("unknown model role '" + name +
                              "'; expected policy, value or reward");
}

void ModelSpec::validate() const {
  checkPositive("layers", layers);
  checkPositive("hidden", hidden);
  checkPositive("ffn", ffn);
  checkPositive("heads", heads);
  checkPositive("kv_heads", kvHeads);
  checkPositive("vocab", vocab);
  checkPositive("max_positions", maxPositions);
  if (hidden % heads != 0)
    invalid("hidden (" + std::to_string(hidden) +
            ") must be divisible by heads (" + std::to_string(heads) + ")");
  if (headDim() % 2 != 0)
    invalid("the head size hidden / heads = " + std::to_string(headDim()) +
            " must be even for rotary embeddings");
  if (heads % kvHeads != 0)
    invalid("heads (" + std::to_string(heads) +
            ") must be divisible by kv_heads (" + std::to_string(kvHeads) +
            ")");
  if (!(ropeTheta > 0))
    invalid("rope_theta must be > 0, got " + std::to_string(ropeTheta));
  if (!(rmsEps > 0))
    invalid("rms_eps must be > 0, got " + std::to_string(rmsEps));
  validateRopeScaling(ropeScaling);
}

void ModelSpec::validateTensorParallel(int64_t tensorParallelSize) const {
  if (tensorParallelSize < 1)
    invalid("the tensor-parallel size must be >= 1, got " +
            std::to_string(tensorParallelSize));
  std::string size = std::to_string(tensorParallelSize);
  auto checkDivisible = [&](const char *name, int64_t value, const char *why) {
    if (value % tensorParallelSize != 0)
      invalid(std::string(name) + " (" + std::to_string(value) +
              ") must be divisible by the tensor-parallel size (" + size +
              ") to split the model over " + size + " ranks: " + why);
  };
  checkDivisible("heads", heads, "each rank holds whole query heads");
  checkDivisible("kv_heads", kvHeads, "each rank holds whole key/value heads");
  checkDivisible("ffn", ffn, "each rank holds an equal slice of the MLP");
  checkDivisible("vocab", vocab,
                 "each rank holds an equal slice of the embeddings and the "
                 "LM head");
}

ModelSpec modelSpecFromArch(const ModelArch &arch) {
  ModelSpec spec;
  spec.layers = arch.layers;
  spec.hidden = arch.hidden;
  spec.ffn = arch.ffn;
  spec.heads = arch.heads;
  spec.kvHeads = arch.kvHeads;
  spec.vocab = arch.vocab;
  spec.tieEmbeddings = arch.tieEmbeddings;
  return spec;
}

ModelSpec modelSpecFromPreset(const std::string &preset) {
  std::optional<ModelArch> arch = findModelPreset(preset);
  if (!arch)
    throw std::invalid_argument("unknown model preset '" + preset + "'");
  ModelSpec spec = modelSpecFromArch(*arch);
  if (preset.rfind("qwen", 0) == 0) {
    spec.ropeTheta = 1e6;
    spec.qkvBias = true;
    spec.maxPositions = 32768;
  } else if (preset.rfind("llama", 0) == 0) {
    spec.rmsEps = 1e-5;
  }
  return spec;
}

} // namespace rlg::runtime
