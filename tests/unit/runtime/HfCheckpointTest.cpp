// Hugging Face checkpoint folders: names both ways, save -> load round trips
// (float32, bfloat16, shards, tied and reward models, logits), damaged and
// mismatched folders refused, and the RoPE scalings against their formulas.
#include "rlg/Runtime/Model/HfCheckpoint.h"
#include "ModelTestSupport.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Model/Rotary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rlg;
using namespace rlg::runtime;
using rlg::runtime::testing::idsRow;
using rlg::runtime::testing::tinySpec;

namespace {

class HfCheckpointTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("rlg-hfckpt-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  /// Tiny Qwen2-like spec: q/k/v biases, untied unless `tied`.
  static ModelSpec qwenSpec(bool tied = false) {
    ModelSpec spec = tinySpec(tied);
    spec.qkvBias = true;
    spec.ropeTheta = 1e6;
    return spec;
  }
  /// Tiny Llama 3-like spec: tied, llama3 RoPE scaling.
  static ModelSpec llamaSpec() {
    ModelSpec spec = tinySpec(true);
    spec.rmsEps = 1e-5;
    spec.ropeTheta = 500000.0;
    spec.ropeScaling = {RopeScalingType::Llama3, 8.0, 1.0, 4.0, 16};
    return spec;
  }
  /// Whole weights of a freshly initialised model, with nonzero biases and
  /// norm scales so that a lost tensor shows.
  static std::map<std::string, at::Tensor>
  weightsOf(const ModelSpec &spec, ModelRole role, uint64_t seed = 7) {
    Model model(spec, role, seed);
    std::map<std::string, at::Tensor> weights;
    torch::manual_seed(seed);
    for (auto &[name, tensor] : gatherFullWeights(*model)) {
      bool flat = name.find("bias") != std::string::npos ||
                  name.find("norm") != std::string::npos;
      weights[name] =
          flat ? tensor + 0.1 * at::randn(tensor.sizes()) : tensor.clone();
    }
    return weights;
  }
  static void expectBitExact(const std::map<std::string, at::Tensor> &a,
                             const std::map<std::string, at::Tensor> &b) {
    ASSERT_EQ(a.size(), b.size());
    for (const auto &[name, tensor] : a) {
      ASSERT_TRUE(b.count(name)) << name;
      EXPECT_EQ(b.at(name).scalar_type(), at::kFloat) << name;
      EXPECT_TRUE(tensor.equal(b.at(name))) << name;
    }
  }
  static std::string problemOf(const std::function<void()> &run) {
    try {
      run();
    } catch (const CheckpointError &e) {
      return e.problem();
    }
    return "no error";
  }
  static json readJson(const fs::path &path) {
    std::ifstream in(path);
    return json::parse(in);
  }

  fs::path dir;
};

} // namespace

TEST_F(HfCheckpointTest, NamesMapBothWays) {
  const std::vector<std::pair<std::string, std::string>> body = {
      {"embed_tokens.weight", "model.embed_tokens.weight"},
      {"layers.0.input_layernorm.weight",
       "model.layers.0.input_layernorm.weight"},
      {"layers.3.self_attn.q_proj.weight",
       "model.layers.3.self_attn.q_proj.weight"},
      {"layers.3.self_attn.k_proj.bias",
       "model.layers.3.self_attn.k_proj.bias"},
      {"layers.11.self_attn.o_proj.weight",
       "model.layers.11.self_attn.o_proj.weight"},
      {"layers.1.post_attention_layernorm.weight",
       "model.layers.1.post_attention_layernorm.weight"},
      {"layers.1.mlp.down_proj.weight", "model.layers.1.mlp.down_proj.weight"},
      {"norm.weight", "model.norm.weight"},
  };
  for (ModelRole role :
       {ModelRole::Policy, ModelRole::Value, ModelRole::Reward})
    for (const auto &[ours, theirs] : body) {
      EXPECT_EQ(hfNameOf(ours, role), theirs);
      EXPECT_EQ(ourNameOf(theirs, role), ours);
    }
  EXPECT_EQ(hfNameOf("lm_head.weight", ModelRole::Policy), "lm_head.weight");
  EXPECT_EQ(ourNameOf("lm_head.weight", ModelRole::Policy), "lm_head.weight");
  for (ModelRole role : {ModelRole::Value, ModelRole::Reward}) {
    EXPECT_EQ(hfNameOf("value_head.weight", role), "score.weight");
    EXPECT_EQ(hfNameOf("value_head.bias", role), "score.bias");
    EXPECT_EQ(ourNameOf("score.weight", role), "value_head.weight");
    EXPECT_EQ(ourNameOf("score.bias", role), "value_head.bias");
    EXPECT_EQ(ourNameOf("lm_head.weight", role), std::nullopt);
    EXPECT_THROW(hfNameOf("lm_head.weight", role), std::invalid_argument);
  }
  EXPECT_EQ(ourNameOf("score.weight", ModelRole::Policy), std::nullopt);
  EXPECT_THROW(hfNameOf("value_head.weight", ModelRole::Policy),
               std::invalid_argument);
  EXPECT_EQ(ourNameOf("embed_tokens.weight", ModelRole::Policy), std::nullopt);
  EXPECT_EQ(ourNameOf("model.lm_head.weight", ModelRole::Policy), std::nullopt);
  EXPECT_EQ(ourNameOf("transformer.wte.weight", ModelRole::Policy),
            std::nullopt);
}

TEST_F(HfCheckpointTest, ExpectedShapesAreTheModelsParameters) {
  for (bool tied : {false, true})
    for (ModelRole role :
         {ModelRole::Policy, ModelRole::Value, ModelRole::Reward}) {
      ModelSpec spec = qwenSpec(tied);
      Model model(spec, role);
      auto params = model->named_parameters();
      auto expected = expectedWeightShapes(spec, role);
      ASSERT_EQ(expected.size(), params.size());
      for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(expected[i].first, params[i].key());
        EXPECT_EQ(expected[i].second, params[i].value().sizes().vec());
      }
    }
}

TEST_F(HfCheckpointTest, SpecFromConfigAndBack) {
  ModelSpec spec = llamaSpec();
  HfModelConfig config = hfConfigFromSpec(spec, ModelRole::Reward, "llama");
  EXPECT_EQ(config.architecture, "LlamaForSequenceClassification");
  EXPECT_EQ(config.role, "reward");
  ModelSpec back = modelSpecFromHfConfig(config);
  EXPECT_EQ(back.layers, spec.layers);
  EXPECT_EQ(back.hidden, spec.hidden);
  EXPECT_EQ(back.kvHeads, spec.kvHeads);
  EXPECT_EQ(back.tieEmbeddings, spec.tieEmbeddings);
  EXPECT_EQ(back.ropeTheta, spec.ropeTheta);
  EXPECT_EQ(back.rmsEps, spec.rmsEps);
  EXPECT_EQ(back.maxPositions, spec.maxPositions);
  EXPECT_EQ(back.ropeScaling, spec.ropeScaling);
  EXPECT_THROW(hfConfigFromSpec(spec, ModelRole::Policy, "gpt2"),
               HfConfigError);
  // A config whose spec breaks the runtime's rules.
  config.ropeScaling.highFreqFactor = 0.5;
  EXPECT_THROW(modelSpecFromHfConfig(config), std::invalid_argument);
}

TEST_F(HfCheckpointTest, ModelSpecValidatesRopeScaling) {
  ModelSpec spec = llamaSpec();
  EXPECT_NO_THROW(spec.validate());
  spec.ropeScaling.factor = 0;
  EXPECT_THROW(spec.validate(), std::invalid_argument);
  spec = llamaSpec();
  spec.ropeScaling.highFreqFactor = spec.ropeScaling.lowFreqFactor;
  try {
    spec.validate();
    ADD_FAILURE() << "high_freq_factor == low_freq_factor accepted";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("high_freq_factor"),
              std::string::npos);
  }
  spec = llamaSpec();
  spec.ropeScaling.originalMaxPositions = 0;
  EXPECT_THROW(spec.validate(), std::invalid_argument);
  spec.ropeScaling = {RopeScalingType::Linear, -2.0};
  EXPECT_THROW(spec.validate(), std::invalid_argument);
}

TEST_F(HfCheckpointTest, Float32RoundTripIsBitExact) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  HfModelConfig config = hfConfigFromSpec(spec, ModelRole::Policy, "qwen2");
  config.bosTokenId = 1;
  config.eosTokenIds = {2, 3};
  fs::path out = dir / "ckpt";
  saveHfCheckpoint(out, config, weights, at::kFloat);
  EXPECT_TRUE(fs::exists(out / "config.json"));
  EXPECT_TRUE(fs::exists(out / "model.safetensors"));
  EXPECT_FALSE(fs::exists(out / "model.safetensors.index.json"));
  json generation = readJson(out / "generation_config.json");
  EXPECT_EQ(generation["bos_token_id"], 1);
  EXPECT_EQ(generation["eos_token_id"], json({2, 3}));
  json written = readJson(out / "config.json");
  EXPECT_EQ(written["torch_dtype"], "float32");
  EXPECT_EQ(written["architectures"], json({"Qwen2ForCausalLM"}));

  SafetensorsFile file(out / "model.safetensors");
  EXPECT_EQ(file.metadata().at("format"), "pt");
  EXPECT_TRUE(file.entries().count("model.layers.1.self_attn.v_proj.bias"));
  EXPECT_TRUE(file.entries().count("lm_head.weight"));
  EXPECT_EQ(file.entries().at("lm_head.weight").dtype, "F32");

  HfModelConfig read = readHfConfig(out);
  EXPECT_EQ(read.eosTokenIds, (std::vector<int64_t>{2, 3}));
  ModelSpec readSpec = modelSpecFromHfConfig(read);
  expectBitExact(weights, readHfWeights(out, readSpec, ModelRole::Policy));
  // Nothing temporary is left beside the folder.
  for (const auto &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename(), "ckpt");
}

TEST_F(HfCheckpointTest, Bfloat16RoundTripEqualsTheSameRounding) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  saveHfCheckpoint(dir / "bf16", spec, ModelRole::Policy, "qwen2", weights,
                   at::kBFloat16);
  SafetensorsFile file(dir / "bf16" / "model.safetensors");
  EXPECT_EQ(file.entries().at("model.embed_tokens.weight").dtype, "BF16");
  EXPECT_EQ(readJson(dir / "bf16" / "config.json")["torch_dtype"], "bfloat16");
  std::map<std::string, at::Tensor> rounded;
  for (const auto &[name, tensor] : weights)
    rounded[name] = tensor.to(at::kBFloat16).to(at::kFloat);
  expectBitExact(rounded, readHfWeights(dir / "bf16", spec, ModelRole::Policy));
  // Something was rounded.
  EXPECT_FALSE(rounded.at("embed_tokens.weight")
                   .equal(weights.at("embed_tokens.weight")));

  saveHfCheckpoint(dir / "f16", spec, ModelRole::Policy, "qwen2", weights,
                   at::kHalf);
  for (auto &[name, tensor] : rounded)
    tensor = weights.at(name).to(at::kHalf).to(at::kFloat);
  expectBitExact(rounded, readHfWeights(dir / "f16", spec, ModelRole::Policy));
  EXPECT_NE(problemOf([&] {
              saveHfCheckpoint(dir / "f64", spec, ModelRole::Policy, "qwen2",
                               weights, at::kDouble);
            }),
            "no error");
}

TEST_F(HfCheckpointTest, ShardedSaveReadsBack) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  const int64_t maxShard = 12000; // an embedding (64 x 32 floats) is 8192
  fs::path out = dir / "sharded";
  saveHfCheckpoint(out, spec, ModelRole::Policy, "qwen2", weights, at::kFloat,
                   maxShard);
  EXPECT_FALSE(fs::exists(out / "model.safetensors"));
  json index = readJson(out / "model.safetensors.index.json");
  std::set<std::string> shards;
  for (auto &[name, shard] : index["weight_map"].items())
    shards.insert(shard.get<std::string>());
  ASSERT_GT(shards.size(), 2u);
  std::string count = std::to_string(shards.size());
  count = std::string(5 - count.size(), '0') + count;
  EXPECT_TRUE(shards.count("model-00001-of-" + count + ".safetensors"));
  EXPECT_TRUE(shards.count("model-" + count + "-of-" + count + ".safetensors"));
  int64_t total = 0;
  for (const std::string &shard : shards) {
    SafetensorsFile file(out / shard);
    int64_t bytes = 0;
    for (const auto &[name, entry] : file.entries())
      bytes += entry.end - entry.begin;
    EXPECT_LE(bytes, maxShard) << shard;
    total += bytes;
  }
  EXPECT_EQ(index["metadata"]["total_size"], total);
  expectBitExact(weights, readHfWeights(out, spec, ModelRole::Policy));
}

TEST_F(HfCheckpointTest, TiedModelsWriteNoLmHeadAndIgnoreOne) {
  ModelSpec spec = llamaSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  EXPECT_FALSE(weights.count("lm_head.weight"));
  saveHfCheckpoint(dir / "tied", spec, ModelRole::Policy, "llama", weights,
                   at::kFloat);
  SafetensorsFile file(dir / "tied" / "model.safetensors");
  EXPECT_FALSE(file.entries().count("lm_head.weight"));
  json config = readJson(dir / "tied" / "config.json");
  EXPECT_EQ(config["tie_word_embeddings"], true);
  EXPECT_EQ(config["rope_scaling"]["rope_type"], "llama3");
  EXPECT_EQ(config["rope_scaling"]["factor"], 8.0);
  expectBitExact(weights, readHfWeights(dir / "tied", spec, ModelRole::Policy));

  // A tied checkpoint that also stores lm_head.weight (some do), and the
  // inv_freq buffers older transformers versions saved.
  auto stored = readSafetensorsCheckpoint(dir / "tied");
  std::map<std::string, at::Tensor> extra(stored.begin(), stored.end());
  extra["lm_head.weight"] = stored.at("model.embed_tokens.weight").clone();
  extra["model.layers.0.self_attn.rotary_emb.inv_freq"] = at::ones({4});
  fs::create_directories(dir / "extra");
  writeSafetensors(dir / "extra" / "model.safetensors", extra);
  expectBitExact(weights,
                 readHfWeights(dir / "extra", spec, ModelRole::Policy));
  // Saving a tied model's weights with an lm_head.weight leaves it out.
  weights["lm_head.weight"] = weights.at("embed_tokens.weight");
  saveHfCheckpoint(dir / "tied", spec, ModelRole::Policy, "llama", weights,
                   at::kFloat);
  EXPECT_FALSE(SafetensorsFile(dir / "tied" / "model.safetensors")
                   .entries()
                   .count("lm_head.weight"));
}

TEST_F(HfCheckpointTest, RewardAndValueHeadsAreScore) {
  ModelSpec spec = qwenSpec();
  // A reward model with a zero bias: no score.bias, as transformers has.
  auto weights = weightsOf(spec, ModelRole::Reward);
  weights["value_head.bias"] = at::zeros({1});
  saveHfCheckpoint(dir / "reward", spec, ModelRole::Reward, "qwen2", weights,
                   at::kFloat);
  SafetensorsFile reward(dir / "reward" / "model.safetensors");
  EXPECT_EQ(reward.entries().at("score.weight").shape,
            (std::vector<int64_t>{1, spec.hidden}));
  EXPECT_FALSE(reward.entries().count("score.bias"));
  EXPECT_FALSE(reward.entries().count("lm_head.weight"));
  json config = readJson(dir / "reward" / "config.json");
  EXPECT_EQ(config["architectures"], json({"Qwen2ForSequenceClassification"}));
  EXPECT_EQ(config["num_labels"], 1);
  HfModel loaded = loadHfModel(dir / "reward");
  EXPECT_EQ(loaded.role, ModelRole::Reward);
  expectBitExact(weights, gatherFullWeights(*loaded.model));

  // A nonzero bias is kept.
  weights["value_head.bias"] = at::full({1}, 0.25);
  saveHfCheckpoint(dir / "reward", spec, ModelRole::Reward, "qwen2", weights,
                   at::kFloat);
  EXPECT_TRUE(SafetensorsFile(dir / "reward" / "model.safetensors")
                  .entries()
                  .count("score.bias"));
  expectBitExact(weights,
                 readHfWeights(dir / "reward", spec, ModelRole::Reward));

  // A value model (token classification) always has score.bias.
  auto values = weightsOf(spec, ModelRole::Value);
  values["value_head.bias"] = at::zeros({1});
  saveHfCheckpoint(dir / "value", spec, ModelRole::Value, "qwen2", values,
                   at::kFloat);
  EXPECT_TRUE(SafetensorsFile(dir / "value" / "model.safetensors")
                  .entries()
                  .count("score.bias"));
  EXPECT_EQ(readJson(dir / "value" / "config.json")["architectures"],
            json({"Qwen2ForTokenClassification"}));
  expectBitExact(values, readHfWeights(dir / "value", spec, ModelRole::Value));
}

TEST_F(HfCheckpointTest, LogitsAreExactlyEqualAfterSaveAndLoad) {
  at::Tensor ids = at::cat({idsRow({1, 5, 9, 12, 40, 63, 2, 7}),
                            idsRow({3, 3, 8, 20, 11, 0, 4, 33})});
  at::Tensor mask = at::ones_like(ids);
  torch::NoGradGuard noGrad;
  for (const auto &[spec, type] :
       {std::pair{qwenSpec(false), "qwen2"}, std::pair{llamaSpec(), "llama"}}) {
    Model model(spec, ModelRole::Policy, 11);
    model->eval();
    fs::path out = dir / type;
    saveHfCheckpoint(out, spec, ModelRole::Policy, type,
                     gatherFullWeights(*model), at::kFloat);
    HfModel loaded = loadHfModel(out);
    EXPECT_EQ(loaded.config.modelType, type);
    EXPECT_EQ(loaded.spec.ropeScaling, spec.ropeScaling);
    at::Tensor expected = model->forward(ids, mask);
    at::Tensor got = loaded.model->forward(ids, mask);
    EXPECT_TRUE(expected.equal(got)) << type;
  }
  // Reward scores too.
  ModelSpec spec = llamaSpec();
  Model reward(spec, ModelRole::Reward, 5);
  auto weights = gatherFullWeights(*reward);
  weights["value_head.bias"] = at::full({1}, -0.5);
  loadFullWeights(*reward, weights);
  saveHfCheckpoint(dir / "reward", spec, ModelRole::Reward, "llama", weights,
                   at::kFloat);
  HfModel loaded = loadHfModel(dir / "reward");
  EXPECT_TRUE(reward->sequenceScores(ids, mask).equal(
      loaded.model->sequenceScores(ids, mask)));
}

TEST_F(HfCheckpointTest, MismatchedWeightsAreListed) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  saveHfCheckpoint(dir / "good", spec, ModelRole::Policy, "qwen2", weights,
                   at::kFloat);
  auto stored = readSafetensorsCheckpoint(dir / "good");
  auto writeVariant = [&](const std::string &name,
                          std::map<std::string, at::Tensor> tensors) {
    fs::create_directories(dir / name);
    writeSafetensors(dir / name / "model.safetensors", tensors);
    return dir / name;
  };
  auto read = [&](const fs::path &path) {
    return problemOf([&] { readHfWeights(path, spec, ModelRole::Policy); });
  };
  std::string prefix = "the weights do not match a policy model with 2 "
                       "layers, hidden 32, ffn 64, 4/2 heads, vocab 64, "
                       "q/k/v biases:";

  auto missing = stored;
  missing.erase("model.layers.1.mlp.up_proj.weight");
  missing.erase("lm_head.weight");
  EXPECT_EQ(read(writeVariant("missing", missing)),
            prefix + "\n  missing (2): model.layers.1.mlp.up_proj.weight "
                     "[64, 32]; lm_head.weight [64, 32]");

  auto misshapen = stored;
  misshapen["model.norm.weight"] = at::ones({33});
  EXPECT_EQ(read(writeVariant("shape", misshapen)),
            prefix + "\n  wrong shape (1): model.norm.weight: expected [32], "
                     "found [33]");

  auto unexpected = stored;
  unexpected["model.layers.2.mlp.up_proj.weight"] = at::ones({64, 32});
  unexpected["score.weight"] = at::ones({1, 32});
  EXPECT_EQ(read(writeVariant("unexpected", unexpected)),
            prefix + "\n  unexpected (2): model.layers.2.mlp.up_proj.weight "
                     "[64, 32]; score.weight [1, 32]");

  auto integers = stored;
  integers["model.norm.weight"] = at::ones({32}, at::kLong);
  EXPECT_EQ(read(writeVariant("integers", integers)),
            prefix + "\n  not a float dtype (1): model.norm.weight (I64)");

  // Many missing: the first five and a count.
  std::map<std::string, at::Tensor> embeddingsOnly = {
      {"model.embed_tokens.weight", stored.at("model.embed_tokens.weight")}};
  std::string many = read(writeVariant("many", embeddingsOnly));
  EXPECT_NE(many.find("missing (26): model.layers.0.input_layernorm.weight "
                      "[32]; model.layers.0.self_attn.q_proj.weight [32, 32]"),
            std::string::npos)
      << many;
  EXPECT_NE(many.find("; and 21 more"), std::string::npos) << many;

  // A policy checkpoint read as a reward model.
  std::string asReward =
      problemOf([&] { readHfWeights(dir / "good", spec, ModelRole::Reward); });
  EXPECT_NE(asReward.find("missing (1): score.weight [1, 32]"),
            std::string::npos)
      << asReward;
  EXPECT_NE(asReward.find("unexpected (1): lm_head.weight [64, 32]"),
            std::string::npos)
      << asReward;
}

TEST_F(HfCheckpointTest, DamagedFilesAreRefused) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  fs::path out = dir / "ckpt";
  saveHfCheckpoint(out, spec, ModelRole::Policy, "qwen2", weights, at::kFloat);
  fs::path file = out / "model.safetensors";
  auto size = fs::file_size(file);
  fs::resize_file(file, size - 100);
  auto read = [&] {
    return problemOf([&] { readHfWeights(out, spec, ModelRole::Policy); });
  };
  EXPECT_NE(read().find("a truncated file?"), std::string::npos) << read();
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "garbage!";
  EXPECT_NE(read().find("its header claims"), std::string::npos) << read();
  std::string header = "{not json";
  std::string bytes(8, '\0');
  bytes[0] = static_cast<char>(header.size());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes + header;
  EXPECT_NE(read().find("its header is not JSON"), std::string::npos) << read();
  fs::remove(file);
  EXPECT_EQ(read(), "holds neither model.safetensors nor "
                    "model.safetensors.index.json");
}

TEST_F(HfCheckpointTest, SavingRefusesMismatchesAndForeignFolders) {
  ModelSpec spec = qwenSpec();
  auto weights = weightsOf(spec, ModelRole::Policy);
  auto save = [&](const std::map<std::string, at::Tensor> &w,
                  const fs::path &to) {
    return problemOf([&] {
      saveHfCheckpoint(to, spec, ModelRole::Policy, "qwen2", w, at::kFloat);
    });
  };
  auto missing = weights;
  missing.erase("norm.weight");
  EXPECT_EQ(save(missing, dir / "a"),
            "cannot save: the weights do not match the model spec:\n  "
            "missing (1): norm.weight [32]");
  auto misshapen = weights;
  misshapen["norm.weight"] = at::ones({31});
  EXPECT_EQ(save(misshapen, dir / "a"),
            "cannot save: the weights do not match the model spec:\n  "
            "wrong shape (1): norm.weight: expected [32], found [31]");
  auto unexpected = weights;
  unexpected["value_head.weight"] = at::ones({1, 32});
  EXPECT_EQ(save(unexpected, dir / "a"),
            "cannot save: the weights do not match the model spec:\n  "
            "unexpected (1): value_head.weight [1, 32]");
  EXPECT_FALSE(fs::exists(dir / "a"));

  // A folder that holds something else is left alone.
  fs::create_directories(dir / "home");
  std::ofstream(dir / "home" / "notes.txt") << "keep me";
  EXPECT_EQ(save(weights, dir / "home"),
            "exists and is not a checkpoint folder; it is left alone");
  EXPECT_TRUE(fs::exists(dir / "home" / "notes.txt"));

  // An existing checkpoint is replaced whole (its old shards go).
  saveHfCheckpoint(dir / "ckpt", spec, ModelRole::Policy, "qwen2", weights,
                   at::kFloat, 12000);
  EXPECT_TRUE(fs::exists(dir / "ckpt" / "model.safetensors.index.json"));
  std::ofstream(dir / "tokenizer.json") << "{}";
  saveHfCheckpoint(dir / "ckpt/", spec, ModelRole::Policy, "qwen2", weights,
                   at::kFloat, kDefaultHfShardBytes, {dir / "tokenizer.json"});
  EXPECT_FALSE(fs::exists(dir / "ckpt" / "model.safetensors.index.json"));
  EXPECT_TRUE(fs::exists(dir / "ckpt" / "model.safetensors"));
  EXPECT_TRUE(fs::exists(dir / "ckpt" / "tokenizer.json"));
  EXPECT_EQ(problemOf([&] {
              saveHfCheckpoint(dir / "ckpt", spec, ModelRole::Policy, "qwen2",
                               weights, at::kFloat, kDefaultHfShardBytes,
                               {dir / "ckpt" / "config.json"});
            }).rfind("cannot copy", 0),
            0u);
  // A q/k/v-biased model cannot be a Llama.
  EXPECT_THROW(saveHfCheckpoint(dir / "llama", spec, ModelRole::Policy, "llama",
                                weights, at::kFloat),
               HfConfigError);
  std::set<std::string> left;
  for (const auto &entry : fs::directory_iterator(dir))
    left.insert(entry.path().filename().string());
  EXPECT_EQ(left, (std::set<std::string>{"ckpt", "home", "tokenizer.json"}));
}

TEST_F(HfCheckpointTest, Llama3RopeScalingFollowsThePublishedFormula) {
  // Llama 3.1's constants: theta 500000, factor 8, low 1, high 4, 8192
  // original positions; head size 128, so all three bands occur.
  const int64_t headDim = 128;
  const double theta = 500000.0, factor = 8.0, low = 1.0, high = 4.0;
  const double original = 8192.0;
  RopeScaling scaling{RopeScalingType::Llama3, factor, low, high, 8192};
  at::Tensor got = rotaryInverseFrequencies(headDim, theta, scaling);
  ASSERT_EQ(got.sizes().vec(), std::vector<int64_t>{headDim / 2});
  ASSERT_EQ(got.scalar_type(), at::kFloat);
  int kept = 0, divided = 0, blended = 0;
  for (int64_t i = 0; i < headDim / 2; ++i) {
    double f = 1.0 / std::pow(theta, 2.0 * i / headDim);
    double wavelength = 2 * M_PI / f;
    double expected;
    if (wavelength < original / high) {
      expected = f;
      ++kept;
    } else if (wavelength > original / low) {
      expected = f / factor;
      ++divided;
    } else {
      double smooth = (original / wavelength - low) / (high - low);
      expected = (1 - smooth) * f / factor + smooth * f;
      ++blended;
    }
    EXPECT_FLOAT_EQ(got[i].item<float>(), static_cast<float>(expected)) << i;
  }
  EXPECT_GT(kept, 0);
  EXPECT_GT(divided, 0);
  EXPECT_GT(blended, 0);

  // Linear scaling divides every frequency; none changes nothing.
  at::Tensor plain = rotaryInverseFrequencies(headDim, theta);
  at::Tensor linear =
      rotaryInverseFrequencies(headDim, theta, {RopeScalingType::Linear, 4.0});
  EXPECT_TRUE(at::allclose(linear, plain / 4.0, 1e-7, 0));
  for (int64_t i = 0; i < headDim / 2; ++i)
    EXPECT_FLOAT_EQ(plain[i].item<float>(),
                    static_cast<float>(std::pow(theta, -2.0 * i / headDim)));
  // The angles use the scaled frequencies.
  at::Tensor positions = at::arange(5, at::kLong).unsqueeze(0) * 1000;
  RotaryAngles angles = computeRotaryAngles(positions, headDim, theta, scaling);
  at::Tensor expectedAngles = positions.to(at::kFloat).unsqueeze(-1) * got;
  EXPECT_TRUE(
      angles.cos.narrow(-1, 0, headDim / 2).equal(expectedAngles.cos()));
}
