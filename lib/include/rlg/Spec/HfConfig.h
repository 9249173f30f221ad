// Hugging Face config.json files of Llama, Qwen2 and Mistral decoders: read
// into the numbers the runtime needs, and written back for transformers.
#pragma once

#include "rlg/Spec/ModelPresets.h"
#include "rlg/Spec/RopeScaling.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rlg {

/// A config.json the runtime cannot use. what() reads
///   "<where>: <problem>\n  hint: <hint>"
/// (without the hint line when there is none); `where` is the file.
class HfConfigError : public std::runtime_error {
public:
  HfConfigError(std::string where, std::string problem, std::string hint = "");

  const std::string &where() const { return where_; }
  const std::string &problem() const { return problem_; }
  const std::string &hint() const { return hint_; }

private:
  std::string where_;
  std::string problem_;
  std::string hint_;
};

/// What the runtime takes from a Hugging Face config.json.
struct HfModelConfig {
  /// hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
  /// num_key_value_heads, vocab_size, tie_word_embeddings.
  ModelArch arch;
  double ropeTheta = 10000.0;
  double rmsEps = 1e-6;
  /// Biases on q/k/v: always for qwen2, never for llama and mistral.
  bool qkvBias = false;
  /// max_position_embeddings.
  int64_t maxPositions = 2048;
  RopeScaling ropeScaling;
  /// "llama", "qwen2" or "mistral".
  std::string modelType = "llama";
  /// architectures[0], e.g. "Qwen2ForCausalLM".
  std::string architecture = "LlamaForCausalLM";
  /// "policy" (*ForCausalLM), "reward" (*ForSequenceClassification) or
  /// "value" (*ForTokenClassification), the runtime's role names.
  std::string role = "policy";
  /// torch_dtype (v4) or dtype (v5), e.g. "bfloat16"; empty when absent.
  std::string dtype;
  std::optional<int64_t> bosTokenId;
  /// eos_token_id: one id or a list; empty when absent.
  std::vector<int64_t> eosTokenIds;
  std::optional<int64_t> padTokenId;
};

/// Reads a parsed config.json; `where` names it in errors. Accepts
/// model_type llama, qwen2 and mistral (sliding_window null), both
/// transformers v4 keys (rope_theta, rope_scaling, torch_dtype) and v5 keys
/// (rope_parameters, dtype). Throws HfConfigError naming the key for
/// anything the runtime's decoder does not compute: another activation,
/// o_proj or MLP biases, a head_dim other than hidden / heads, sliding
/// windows, RoPE types other than default, linear and llama3, missing or
/// non-positive sizes, heads not divisible by kv heads, quantized weights,
/// other architectures, and values of the wrong JSON type.
HfModelConfig parseHfConfig(const nlohmann::json &config,
                            const std::string &where);

/// Reads `dirOrFile` (a checkpoint folder holding config.json, or the file).
/// Throws HfConfigError (also for a missing file or invalid JSON).
HfModelConfig readHfConfig(const std::filesystem::path &dirOrFile);

/// A config.json that transformers (v4.4x and v5) loads as it is: the
/// architecture, sizes, constants and token ids of `config`, with
/// hidden_act silu, no dropout and the model type's own switches
/// (qwen2: no sliding window; llama: no attention or MLP biases;
/// classification: one label). Throws HfConfigError for a model type other
/// than llama, qwen2 and mistral, or q/k/v biases it cannot express.
nlohmann::json hfConfigJson(const HfModelConfig &config);

/// generation_config.json: the bos, eos and pad ids that are known.
nlohmann::json hfGenerationConfigJson(const HfModelConfig &config);

/// The transformers class of a model type and role:
/// ("qwen2", "policy") -> "Qwen2ForCausalLM", ("llama", "reward") ->
/// "LlamaForSequenceClassification", ("mistral", "value") ->
/// "MistralForTokenClassification". Throws HfConfigError for another type
/// or role.
std::string hfArchitectureName(const std::string &modelType,
                               const std::string &role);

} // namespace rlg
