// Architecture numbers of the model presets a program may name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rlg {

/// The shape of a Llama/Qwen2-style decoder.
struct ModelArch {
  int64_t layers = 0;
  int64_t hidden = 0;
  int64_t ffn = 0;
  int64_t heads = 0;
  int64_t kvHeads = 0;
  int64_t vocab = 0;
  bool tieEmbeddings = false;

  /// Parameters of the decoder body and embeddings (no value/reward head).
  int64_t parameterCount() const;
};

/// The preset's architecture, or nullopt for an unknown name.
std::optional<ModelArch> findModelPreset(const std::string &name);
/// Every preset name, in a stable order.
std::vector<std::string> modelPresetNames();

} // namespace rlg
