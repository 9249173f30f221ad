// Hugging Face config.json files: published Qwen2.5 and Llama 3.2 configs,
// a transformers v5 one, every refusal with its message, and the configs
// written for transformers read back.
#include "rlg/Spec/HfConfig.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

using nlohmann::json;
using namespace rlg;

namespace {

// Qwen/Qwen2.5-0.5B's config.json (transformers v4).
const char *kQwen25 = R"({
  "architectures": ["Qwen2ForCausalLM"],
  "attention_dropout": 0.0,
  "bos_token_id": 151643,
  "eos_token_id": 151643,
  "hidden_act": "silu",
  "hidden_size": 896,
  "initializer_range": 0.02,
  "intermediate_size": 4864,
  "max_position_embeddings": 32768,
  "max_window_layers": 24,
  "model_type": "qwen2",
  "num_attention_heads": 14,
  "num_hidden_layers": 24,
  "num_key_value_heads": 2,
  "rms_norm_eps": 1e-06,
  "rope_theta": 1000000.0,
  "sliding_window": 32768,
  "tie_word_embeddings": true,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.40.1",
  "use_cache": true,
  "use_mrope": false,
  "use_sliding_window": false,
  "vocab_size": 151936
})";

// meta-llama/Llama-3.2-1B-Instruct's config.json (transformers v4).
const char *kLlama32 = R"({
  "architectures": ["LlamaForCausalLM"],
  "attention_bias": false,
  "attention_dropout": 0.0,
  "bos_token_id": 128000,
  "eos_token_id": [128001, 128008, 128009],
  "head_dim": 64,
  "hidden_act": "silu",
  "hidden_size": 2048,
  "initializer_range": 0.02,
  "intermediate_size": 8192,
  "max_position_embeddings": 131072,
  "mlp_bias": false,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 16,
  "num_key_value_heads": 8,
  "pretraining_tp": 1,
  "rms_norm_eps": 1e-05,
  "rope_scaling": {
    "factor": 32.0,
    "high_freq_factor": 4.0,
    "low_freq_factor": 1.0,
    "original_max_position_embeddings": 8192,
    "rope_type": "llama3"
  },
  "rope_theta": 500000.0,
  "tie_word_embeddings": true,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.45.0.dev0",
  "use_cache": true,
  "vocab_size": 128256
})";

// The same model as transformers v5 writes it: rope_parameters and dtype.
const char *kLlamaV5 = R"({
  "architectures": ["LlamaForCausalLM"],
  "attention_bias": false,
  "bos_token_id": 128000,
  "dtype": "bfloat16",
  "eos_token_id": 128001,
  "head_dim": 64,
  "hidden_act": "silu",
  "hidden_size": 2048,
  "intermediate_size": 8192,
  "max_position_embeddings": 131072,
  "mlp_bias": false,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 16,
  "num_key_value_heads": 8,
  "rms_norm_eps": 1e-05,
  "rope_parameters": {
    "factor": 32.0,
    "high_freq_factor": 4.0,
    "low_freq_factor": 1.0,
    "original_max_position_embeddings": 8192,
    "rope_theta": 500000.0,
    "rope_type": "llama3"
  },
  "tie_word_embeddings": true,
  "transformers_version": "5.0.0",
  "vocab_size": 128256
})";

/// The error parseHfConfig throws for `config`, or a note that none came.
HfConfigError errorOf(const json &config) {
  try {
    parseHfConfig(config, "config.json");
  } catch (const HfConfigError &e) {
    return e;
  }
  return HfConfigError("", "no error");
}

json edited(const char *text, const std::function<void(json &)> &edit) {
  json config = json::parse(text);
  edit(config);
  return config;
}

} // namespace

TEST(HfConfigTest, ReadsQwen25) {
  HfModelConfig c = parseHfConfig(json::parse(kQwen25), "config.json");
  EXPECT_EQ(c.modelType, "qwen2");
  EXPECT_EQ(c.architecture, "Qwen2ForCausalLM");
  EXPECT_EQ(c.role, "policy");
  EXPECT_EQ(c.arch.layers, 24);
  EXPECT_EQ(c.arch.hidden, 896);
  EXPECT_EQ(c.arch.ffn, 4864);
  EXPECT_EQ(c.arch.heads, 14);
  EXPECT_EQ(c.arch.kvHeads, 2);
  EXPECT_EQ(c.arch.vocab, 151936);
  EXPECT_TRUE(c.arch.tieEmbeddings);
  EXPECT_EQ(c.ropeTheta, 1e6);
  EXPECT_EQ(c.rmsEps, 1e-6);
  EXPECT_TRUE(c.qkvBias);
  EXPECT_EQ(c.maxPositions, 32768);
  EXPECT_EQ(c.ropeScaling.type, RopeScalingType::None);
  EXPECT_EQ(c.dtype, "bfloat16");
  EXPECT_EQ(c.bosTokenId, 151643);
  EXPECT_EQ(c.eosTokenIds, std::vector<int64_t>{151643});
  EXPECT_FALSE(c.padTokenId.has_value());
  // The same sizes as the preset.
  ModelArch preset = *findModelPreset("qwen2.5-0.5b");
  EXPECT_EQ(c.arch.parameterCount(), preset.parameterCount());
}

TEST(HfConfigTest, ReadsLlama32WithLlama3RopeScaling) {
  HfModelConfig c = parseHfConfig(json::parse(kLlama32), "config.json");
  EXPECT_EQ(c.modelType, "llama");
  EXPECT_EQ(c.arch.layers, 16);
  EXPECT_EQ(c.arch.hidden, 2048);
  EXPECT_EQ(c.arch.ffn, 8192);
  EXPECT_EQ(c.arch.heads, 32);
  EXPECT_EQ(c.arch.kvHeads, 8);
  EXPECT_EQ(c.arch.vocab, 128256);
  EXPECT_TRUE(c.arch.tieEmbeddings);
  EXPECT_FALSE(c.qkvBias);
  EXPECT_EQ(c.ropeTheta, 500000.0);
  EXPECT_EQ(c.rmsEps, 1e-5);
  EXPECT_EQ(c.maxPositions, 131072);
  EXPECT_EQ(c.ropeScaling.type, RopeScalingType::Llama3);
  EXPECT_EQ(c.ropeScaling.factor, 32.0);
  EXPECT_EQ(c.ropeScaling.lowFreqFactor, 1.0);
  EXPECT_EQ(c.ropeScaling.highFreqFactor, 4.0);
  EXPECT_EQ(c.ropeScaling.originalMaxPositions, 8192);
  EXPECT_EQ(c.bosTokenId, 128000);
  EXPECT_EQ(c.eosTokenIds, (std::vector<int64_t>{128001, 128008, 128009}));
}

TEST(HfConfigTest, ReadsTransformersV5Keys) {
  HfModelConfig v5 = parseHfConfig(json::parse(kLlamaV5), "config.json");
  HfModelConfig v4 = parseHfConfig(json::parse(kLlama32), "config.json");
  EXPECT_EQ(v5.ropeTheta, 500000.0);
  EXPECT_EQ(v5.ropeScaling, v4.ropeScaling);
  EXPECT_EQ(v5.dtype, "bfloat16");
  EXPECT_EQ(v5.eosTokenIds, std::vector<int64_t>{128001});
  // Default and linear rope_parameters; v5 may nest them per layer type.
  HfModelConfig plain =
      parseHfConfig(edited(kLlamaV5,
                           [](json &c) {
                             c["rope_parameters"] = {{"rope_type", "default"},
                                                     {"rope_theta", 10000.0}};
                           }),
                    "config.json");
  EXPECT_EQ(plain.ropeTheta, 10000.0);
  EXPECT_EQ(plain.ropeScaling.type, RopeScalingType::None);
  HfModelConfig linear =
      parseHfConfig(edited(kLlamaV5,
                           [](json &c) {
                             c["rope_parameters"] = {{"full_attention",
                                                      {{"rope_type", "linear"},
                                                       {"factor", 4},
                                                       {"rope_theta", 7.0}}}};
                           }),
                    "config.json");
  EXPECT_EQ(linear.ropeScaling.type, RopeScalingType::Linear);
  EXPECT_EQ(linear.ropeScaling.factor, 4.0);
  EXPECT_EQ(linear.ropeTheta, 7.0);
  // llama3 without original_max_position_embeddings: v5 takes
  // max_position_embeddings.
  HfModelConfig fallback = parseHfConfig(
      edited(kLlamaV5,
             [](json &c) {
               c["rope_parameters"].erase("original_max_position_embeddings");
             }),
      "config.json");
  EXPECT_EQ(fallback.ropeScaling.originalMaxPositions, 131072);
  // Legacy "type" in rope_scaling.
  HfModelConfig legacy = parseHfConfig(
      edited(kLlama32,
             [](json &c) {
               c["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}};
             }),
      "config.json");
  EXPECT_EQ(legacy.ropeScaling.type, RopeScalingType::Linear);
}

TEST(HfConfigTest, ReadsClassificationHeadsAsRewardAndValue) {
  HfModelConfig reward = parseHfConfig(
      edited(kLlama32,
             [](json &c) {
               c["architectures"] = {"LlamaForSequenceClassification"};
               c["id2label"] = {{"0", "LABEL_0"}};
               c["label2id"] = {{"LABEL_0", 0}};
               c["pad_token_id"] = 128004;
             }),
      "config.json");
  EXPECT_EQ(reward.role, "reward");
  EXPECT_EQ(reward.padTokenId, 128004);
  HfModelConfig value = parseHfConfig(
      edited(kQwen25,
             [](json &c) {
               c["architectures"] = {"Qwen2ForTokenClassification"};
               c["num_labels"] = 1;
             }),
      "config.json");
  EXPECT_EQ(value.role, "value");
  // No architectures: a causal LM.
  EXPECT_EQ(
      parseHfConfig(edited(kQwen25, [](json &c) { c.erase("architectures"); }),
                    "config.json")
          .architecture,
      "Qwen2ForCausalLM");
  // Mistral with full attention.
  HfModelConfig mistral =
      parseHfConfig(edited(kLlama32,
                           [](json &c) {
                             c["model_type"] = "mistral";
                             c["sliding_window"] = nullptr;
                             c["architectures"] = {"MistralForCausalLM"};
                           }),
                    "config.json");
  EXPECT_EQ(mistral.modelType, "mistral");
  EXPECT_FALSE(mistral.qkvBias);
}

TEST(HfConfigTest, RefusesWhatTheDecoderDoesNotCompute) {
  struct Case {
    const char *base;
    std::function<void(json &)> edit;
    std::string problem;
    std::string hintPart;
  };
  const std::vector<Case> cases = {
      {kLlama32, [](json &c) { c["hidden_act"] = "gelu"; },
       "hidden_act \"gelu\" is not supported", "silu"},
      {kLlama32, [](json &c) { c["attention_bias"] = true; },
       "attention_bias true is not supported", "o_proj"},
      {kLlama32, [](json &c) { c["mlp_bias"] = true; },
       "mlp_bias true is not supported", "no biases"},
      {kLlama32, [](json &c) { c["head_dim"] = 128; },
       "head_dim 128 differs from hidden_size / num_attention_heads = 64",
       "head size"},
      {kQwen25, [](json &c) { c["use_sliding_window"] = true; },
       "use_sliding_window true is not supported", "whole sequence"},
      {kLlama32,
       [](json &c) {
         c["model_type"] = "mistral";
         c["sliding_window"] = 4096;
       },
       "sliding_window 4096 is not supported for model_type mistral",
       "sliding_window null"},
      {kQwen25,
       [](json &c) {
         c["layer_types"] = json::array();
         for (int i = 0; i < 24; ++i)
           c["layer_types"].push_back(i < 20 ? "full_attention"
                                             : "sliding_attention");
       },
       "layer_types[20] \"sliding_attention\" is not supported",
       "whole sequence"},
      {kLlama32, [](json &c) { c["rope_scaling"]["rope_type"] = "dynamic"; },
       "rope_scaling.rope_type \"dynamic\" is not supported",
       "default, linear and llama3"},
      {kQwen25,
       [](json &c) {
         c["rope_scaling"] = {{"type", "yarn"},
                              {"factor", 4.0},
                              {"original_max_position_embeddings", 32768}};
       },
       "rope_scaling.type \"yarn\" is not supported",
       "default, linear and llama3"},
      {kLlamaV5,
       [](json &c) { c["rope_parameters"]["rope_type"] = "longrope"; },
       "rope_parameters.rope_type \"longrope\" is not supported",
       "default, linear and llama3"},
      {kLlama32, [](json &c) { c["rope_scaling"].erase("low_freq_factor"); },
       "rope_scaling.low_freq_factor is missing", ""},
      {kLlama32, [](json &c) { c["rope_scaling"]["high_freq_factor"] = 1.0; },
       "rope_scaling.high_freq_factor (1) must be greater than "
       "low_freq_factor (1)",
       "blends"},
      {kLlama32, [](json &c) { c.erase("hidden_size"); },
       "hidden_size is missing", "every size"},
      {kLlama32, [](json &c) { c["num_hidden_layers"] = 0; },
       "num_hidden_layers must be >= 1, got 0", ""},
      {kLlama32, [](json &c) { c["vocab_size"] = -5; },
       "vocab_size must be >= 1, got -5", ""},
      {kQwen25, [](json &c) { c["num_key_value_heads"] = 4; },
       "num_attention_heads (14) is not divisible by num_key_value_heads (4)",
       "same number of query heads"},
      {kQwen25, [](json &c) { c["hidden_size"] = 900; },
       "hidden_size (900) is not divisible by num_attention_heads (14)", ""},
      {kQwen25, [](json &c) { c["model_type"] = "gpt2"; },
       "model_type \"gpt2\" is not supported", "llama, qwen2"},
      {kQwen25, [](json &c) { c.erase("model_type"); }, "model_type is missing",
       "llama, qwen2"},
      {kQwen25, [](json &c) { c["hidden_size"] = "896"; },
       "hidden_size must be an integer, got \"896\"", ""},
      {kQwen25, [](json &c) { c["hidden_size"] = 896.5; },
       "hidden_size must be an integer, got 896.5", ""},
      {kQwen25, [](json &c) { c["tie_word_embeddings"] = "yes"; },
       "tie_word_embeddings must be true or false, got \"yes\"", ""},
      {kQwen25, [](json &c) { c["rope_theta"] = "big"; },
       "rope_theta must be a number, got \"big\"", ""},
      {kQwen25, [](json &c) { c["rms_norm_eps"] = 0; },
       "rms_norm_eps must be > 0, got 0", ""},
      {kQwen25, [](json &c) { c["rope_scaling"] = 5; },
       "rope_scaling must be an object or null, got 5", ""},
      {kQwen25,
       [](json &c) {
         c["eos_token_id"] = {1, "two"};
       },
       "eos_token_id must be an integer or a list of integers, got "
       "[1,\"two\"]",
       ""},
      {kQwen25, [](json &c) { c["architectures"] = "Qwen2ForCausalLM"; },
       "architectures must be a non-empty list of class names, got "
       "\"Qwen2ForCausalLM\"",
       ""},
      {kQwen25, [](json &c) { c["architectures"] = {"Qwen2Model"}; },
       "architectures[0] \"Qwen2Model\" is not supported", "ForCausalLM"},
      {kQwen25,
       [](json &c) { c["architectures"] = {"Qwen2ForSequenceClassification"}; },
       "num_labels is 2, but Qwen2ForSequenceClassification is read as a "
       "reward model, which needs 1",
       "one number"},
      {kQwen25,
       [](json &c) {
         c["quantization_config"] = {{"quant_method", "gptq"}};
       },
       "quantization_config is not supported", "unquantized"},
      {kQwen25, [](json &c) { c["partial_rotary_factor"] = 0.5; },
       "partial_rotary_factor 0.5 is not supported", "every dimension"},
  };
  for (const Case &test : cases) {
    HfConfigError e = errorOf(edited(test.base, test.edit));
    EXPECT_EQ(e.problem(), test.problem);
    EXPECT_EQ(e.where(), "config.json");
    EXPECT_EQ(std::string(e.what()).rfind("config.json: " + test.problem, 0),
              0u)
        << e.what();
    EXPECT_NE(e.hint().find(test.hintPart), std::string::npos)
        << test.problem << "\n  hint: " << e.hint();
  }
  EXPECT_EQ(errorOf(json::array()).problem(), "is not a JSON object");
}

TEST(HfConfigTest, ReadsFilesAndFolders) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("rlg-hfconfig-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "config.json") << kQwen25;
  EXPECT_EQ(readHfConfig(dir).arch.hidden, 896);
  EXPECT_EQ(readHfConfig(dir / "config.json").arch.hidden, 896);
  std::ofstream(dir / "config.json") << "{\"model_type\": ";
  try {
    readHfConfig(dir);
    ADD_FAILURE() << "invalid JSON read";
  } catch (const HfConfigError &e) {
    EXPECT_EQ(e.problem().rfind("is not JSON", 0), 0u) << e.what();
    EXPECT_EQ(e.where(), (dir / "config.json").string());
  }
  fs::remove_all(dir);
  try {
    readHfConfig(dir);
    ADD_FAILURE() << "missing folder read";
  } catch (const HfConfigError &e) {
    EXPECT_EQ(e.problem(), "cannot be read");
  }
}

TEST(HfConfigTest, WrittenConfigsReadBackAndCarryTransformersKeys) {
  for (const char *text : {kQwen25, kLlama32, kLlamaV5}) {
    HfModelConfig config = parseHfConfig(json::parse(text), "config.json");
    json written = hfConfigJson(config);
    HfModelConfig back = parseHfConfig(written, "written");
    EXPECT_EQ(back.arch.parameterCount(), config.arch.parameterCount());
    EXPECT_EQ(back.arch.kvHeads, config.arch.kvHeads);
    EXPECT_EQ(back.arch.tieEmbeddings, config.arch.tieEmbeddings);
    EXPECT_EQ(back.ropeTheta, config.ropeTheta);
    EXPECT_EQ(back.rmsEps, config.rmsEps);
    EXPECT_EQ(back.qkvBias, config.qkvBias);
    EXPECT_EQ(back.maxPositions, config.maxPositions);
    EXPECT_EQ(back.ropeScaling, config.ropeScaling);
    EXPECT_EQ(back.modelType, config.modelType);
    EXPECT_EQ(back.architecture, config.architecture);
    EXPECT_EQ(back.dtype, config.dtype);
    EXPECT_EQ(back.bosTokenId, config.bosTokenId);
    EXPECT_EQ(back.eosTokenIds, config.eosTokenIds);
    EXPECT_EQ(written["hidden_act"], "silu");
    EXPECT_EQ(written["attention_dropout"], 0.0);
    EXPECT_EQ(written["initializer_range"], 0.02);
    EXPECT_EQ(written["use_cache"], true);
    EXPECT_TRUE(written.contains("torch_dtype"));
  }
  json qwen = hfConfigJson(parseHfConfig(json::parse(kQwen25), "q"));
  EXPECT_EQ(qwen["use_sliding_window"], false);
  EXPECT_TRUE(qwen["sliding_window"].is_null());
  EXPECT_EQ(qwen["max_window_layers"], 24);
  EXPECT_TRUE(qwen["rope_scaling"].is_null());
  EXPECT_FALSE(qwen.contains("attention_bias"));
  json llama = hfConfigJson(parseHfConfig(json::parse(kLlama32), "l"));
  EXPECT_EQ(llama["attention_bias"], false);
  EXPECT_EQ(llama["mlp_bias"], false);
  EXPECT_EQ(llama["head_dim"], 64);
  EXPECT_EQ(llama["rope_scaling"]["rope_type"], "llama3");
  EXPECT_EQ(llama["rope_scaling"]["original_max_position_embeddings"], 8192);
  EXPECT_EQ(llama["eos_token_id"], json({128001, 128008, 128009}));
  EXPECT_FALSE(llama.contains("num_labels"));

  HfModelConfig reward = parseHfConfig(json::parse(kQwen25), "q");
  reward.role = "reward";
  reward.padTokenId = 151643;
  json written = hfConfigJson(reward);
  EXPECT_EQ(written["architectures"], json({"Qwen2ForSequenceClassification"}));
  EXPECT_EQ(written["num_labels"], 1);
  EXPECT_EQ(written["id2label"], json({{"0", "LABEL_0"}}));
  EXPECT_EQ(written["label2id"], json({{"LABEL_0", 0}}));
  EXPECT_EQ(written["pad_token_id"], 151643);
  EXPECT_EQ(parseHfConfig(written, "w").role, "reward");

  json generation = hfGenerationConfigJson(reward);
  EXPECT_EQ(generation, json({{"bos_token_id", 151643},
                              {"eos_token_id", 151643},
                              {"pad_token_id", 151643}}));
  EXPECT_TRUE(hfGenerationConfigJson(HfModelConfig{}).empty());
}

TEST(HfConfigTest, WritingRefusesBiasesTheModelTypeCannotHold) {
  HfModelConfig qwen = parseHfConfig(json::parse(kQwen25), "q");
  qwen.qkvBias = false;
  EXPECT_THROW(hfConfigJson(qwen), HfConfigError);
  HfModelConfig llama = parseHfConfig(json::parse(kLlama32), "l");
  llama.qkvBias = true;
  try {
    hfConfigJson(llama);
    ADD_FAILURE() << "llama with q/k/v biases written";
  } catch (const HfConfigError &e) {
    EXPECT_EQ(e.problem(),
              "model_type llama has no q/k/v biases, but this model has them");
    EXPECT_EQ(e.hint(), "save it as model_type qwen2");
  }
  llama.modelType = "gpt2";
  EXPECT_THROW(hfConfigJson(llama), HfConfigError);
  EXPECT_EQ(hfArchitectureName("mistral", "value"),
            "MistralForTokenClassification");
  EXPECT_EQ(hfArchitectureName("llama", "reward"),
            "LlamaForSequenceClassification");
}
