// The built-in model presets: tiny CPU models and common open model shapes.
#include "rlg/Spec/ModelPresets.h"

#include <utility>

namespace rlg {
namespace {

const std::vector<std::pair<std::string, ModelArch>> &presets() {
  // layers, hidden, ffn, heads, kv heads, vocab, tied embeddings.
  static const std::vector<std::pair<std::string, ModelArch>> table = {
      {"tiny", {2, 64, 176, 4, 2, 64, true}},
      {"small", {4, 256, 688, 8, 4, 64, true}},
      {"qwen2.5-0.5b", {24, 896, 4864, 14, 2, 151936, true}},
      {"qwen2.5-1.5b", {28, 1536, 8960, 12, 2, 151936, true}},
      {"qwen2.5-7b", {28, 3584, 18944, 28, 4, 152064, false}},
      {"qwen2.5-32b", {64, 5120, 27648, 40, 8, 152064, false}},
      {"qwen2.5-72b", {80, 8192, 29568, 64, 8, 152064, false}},
      {"llama-7b", {32, 4096, 11008, 32, 32, 32000, false}},
      {"llama-13b", {40, 5120, 13824, 40, 40, 32000, false}},
      {"llama-34b", {48, 8192, 22016, 64, 8, 32000, false}},
      {"llama-70b", {80, 8192, 28672, 64, 8, 32000, false}},
  };
  return table;
}

} // namespace

int64_t ModelArch::parameterCount() const {
  int64_t headDim = heads > 0 ? hidden / heads : 0;
  int64_t attention = hidden * hidden * 2 + hidden * kvHeads * headDim * 2;
  int64_t mlp = 3 * hidden * ffn;
  int64_t norms = 2 * hidden;
  int64_t embeddings = vocab * hidden * (tieEmbeddings ? 1 : 2);
  return layers * (attention + mlp + norms) + embeddings + hidden;
}

std::optional<ModelArch> findModelPreset(const std::string &name) {
  for (const auto &[presetName, arch] : presets())
    if (presetName == name)
      return arch;
  return std::nullopt;
}

std::vector<std::string> modelPresetNames() {
  std::vector<std::string> names;
  for (const auto &entry : presets())
    names.push_back(entry.first);
  return names;
}

} // namespace rlg
