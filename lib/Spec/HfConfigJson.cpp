// Writing config.json and generation_config.json files transformers loads.
#include "rlg/Spec/HfConfig.h"

#include <nlohmann/json.hpp>

namespace rlg {
namespace {

using nlohmann::json;

json optionalId(const std::optional<int64_t> &id) {
  return id ? json(*id) : json(nullptr);
}

json eosIds(const std::vector<int64_t> &ids) {
  if (ids.empty())
    return nullptr;
  if (ids.size() == 1)
    return ids.front();
  return ids;
}

/// rope_scaling as transformers v4.43+ writes it (v5 reads it too).
json ropeScalingJson(const RopeScaling &scaling) {
  switch (scaling.type) {
  case RopeScalingType::None:
    return nullptr;
  case RopeScalingType::Linear:
    return {{"rope_type", "linear"}, {"factor", scaling.factor}};
  case RopeScalingType::Llama3:
    return {{"rope_type", "llama3"},
            {"factor", scaling.factor},
            {"low_freq_factor", scaling.lowFreqFactor},
            {"high_freq_factor", scaling.highFreqFactor},
            {"original_max_position_embeddings", scaling.originalMaxPositions}};
  }
  return nullptr;
}

void checkBiases(const HfModelConfig &config) {
  if (config.modelType == "qwen2" && !config.qkvBias)
    throw HfConfigError("config.json",
                        "model_type qwen2 has q/k/v biases, but this model "
                        "has none",
                        "save it as model_type llama");
  if (config.modelType != "qwen2" && config.qkvBias)
    throw HfConfigError("config.json",
                        "model_type " + config.modelType +
                            " has no q/k/v biases, but this model has them",
                        "save it as model_type qwen2");
}

} // namespace

json hfConfigJson(const HfModelConfig &config) {
  std::string architecture = hfArchitectureName(config.modelType, config.role);
  checkBiases(config);
  const ModelArch &arch = config.arch;
  json out = {
      {"architectures", json::array({architecture})},
      {"model_type", config.modelType},
      {"hidden_size", arch.hidden},
      {"intermediate_size", arch.ffn},
      {"num_hidden_layers", arch.layers},
      {"num_attention_heads", arch.heads},
      {"num_key_value_heads", arch.kvHeads},
      {"vocab_size", arch.vocab},
      {"rms_norm_eps", config.rmsEps},
      {"rope_theta", config.ropeTheta},
      {"rope_scaling", ropeScalingJson(config.ropeScaling)},
      {"max_position_embeddings", config.maxPositions},
      {"tie_word_embeddings", arch.tieEmbeddings},
      {"hidden_act", "silu"},
      {"torch_dtype",
       config.dtype.empty() ? json(nullptr) : json(config.dtype)},
      {"bos_token_id", optionalId(config.bosTokenId)},
      {"eos_token_id", eosIds(config.eosTokenIds)},
      {"pad_token_id", optionalId(config.padTokenId)},
      {"attention_dropout", 0.0},
      {"initializer_range", 0.02},
      {"use_cache", true},
  };
  if (config.modelType == "qwen2") {
    out["use_sliding_window"] = false;
    out["sliding_window"] = nullptr;
    out["max_window_layers"] = arch.layers;
  } else {
    out["head_dim"] = arch.heads > 0 ? arch.hidden / arch.heads : 0;
    if (config.modelType == "llama") {
      out["attention_bias"] = false;
      out["mlp_bias"] = false;
      out["pretraining_tp"] = 1;
    } else {
      out["sliding_window"] = nullptr;
    }
  }
  if (config.role != "policy") {
    out["num_labels"] = 1;
    out["id2label"] = {{"0", "LABEL_0"}};
    out["label2id"] = {{"LABEL_0", 0}};
  }
  return out;
}

json hfGenerationConfigJson(const HfModelConfig &config) {
  json out = json::object();
  if (config.bosTokenId)
    out["bos_token_id"] = *config.bosTokenId;
  if (!config.eosTokenIds.empty())
    out["eos_token_id"] = eosIds(config.eosTokenIds);
  if (config.padTokenId)
    out["pad_token_id"] = *config.padTokenId;
  return out;
}

} // namespace rlg
