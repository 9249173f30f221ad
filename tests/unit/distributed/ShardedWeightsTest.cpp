// Tensor parallelism without processes: which parameter splits where, slices,
// the checks that refuse a split, and the unsplit (inactive) paths.
#include "TensorParallelCases.h"

#include "rlg/Runtime/Algorithms/Entropy.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Distributed/VocabParallel.h"
#include "rlg/Runtime/Generation/KvCache.h"
#include "rlg/Runtime/Generation/Sampling.h"
#include "rlg/Runtime/Model/Model.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

/// The message of the std::invalid_argument `body` throws ("" if none).
template <typename Body> std::string invalidArgumentOf(Body body) {
  try {
    body();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

std::map<std::string, at::Tensor> weightsOf(Model &model) {
  std::map<std::string, at::Tensor> weights;
  for (const auto &item : model->named_parameters())
    weights[item.key()] = item.value().detach().clone();
  return weights;
}

} // namespace

TEST(ShardedWeightsTest, SplitDimensionOfEachParameter) {
  EXPECT_EQ(tensorParallelDim("embed_tokens.weight"), 0);
  EXPECT_EQ(tensorParallelDim("lm_head.weight"), 0);
  EXPECT_EQ(tensorParallelDim("layers.0.self_attn.q_proj.weight"), 0);
  EXPECT_EQ(tensorParallelDim("layers.0.self_attn.q_proj.bias"), 0);
  EXPECT_EQ(tensorParallelDim("layers.1.self_attn.k_proj.weight"), 0);
  EXPECT_EQ(tensorParallelDim("layers.1.self_attn.v_proj.bias"), 0);
  EXPECT_EQ(tensorParallelDim("layers.0.mlp.gate_proj.weight"), 0);
  EXPECT_EQ(tensorParallelDim("layers.0.mlp.up_proj.weight"), 0);
  EXPECT_EQ(tensorParallelDim("layers.0.self_attn.o_proj.weight"), 1);
  EXPECT_EQ(tensorParallelDim("layers.3.mlp.down_proj.weight"), 1);
  EXPECT_EQ(tensorParallelDim("norm.weight"), -1);
  EXPECT_EQ(tensorParallelDim("layers.0.input_layernorm.weight"), -1);
  EXPECT_EQ(tensorParallelDim("layers.0.post_attention_layernorm.weight"), -1);
  EXPECT_EQ(tensorParallelDim("value_head.weight"), -1);
  EXPECT_EQ(tensorParallelDim("value_head.bias"), -1);
  // A whole component of the name, not any suffix.
  EXPECT_EQ(tensorParallelDim("my_lm_head.weight"), -1);
  EXPECT_EQ(tensorParallelDim("model.embed_tokens.weight"), 0);
}

TEST(ShardedWeightsTest, SlicesForEachRank) {
  at::Tensor full = at::arange(24, at::kFloat).view({4, 6});
  at::Tensor rows =
      sliceForRank(full, "layers.0.self_attn.q_proj.weight", 1, 2);
  EXPECT_TRUE(rows.equal(full.narrow(0, 2, 2)));
  at::Tensor columns =
      sliceForRank(full, "layers.0.mlp.down_proj.weight", 2, 3);
  EXPECT_TRUE(columns.equal(full.narrow(1, 4, 2)));
  EXPECT_TRUE(sliceForRank(full, "norm.weight", 1, 2).equal(full));
  EXPECT_TRUE(sliceForRank(full, "lm_head.weight", 0, 1).equal(full));
  std::string message = invalidArgumentOf(
      [&] { sliceForRank(full, "layers.0.mlp.up_proj.weight", 0, 3); });
  EXPECT_TRUE(contains(message, "up_proj") && contains(message, "[4, 6]"))
      << message;
  EXPECT_FALSE(invalidArgumentOf([&] {
                 sliceForRank(full, "lm_head.weight", 2, 2);
               }).empty());
}

TEST(ShardedWeightsTest, RefusesSplitsThatDoNotDivide) {
  ModelSpec spec = twoWaySpec(false); // heads 4, kv_heads 2, ffn 176
  EXPECT_NO_THROW(spec.validateTensorParallel(1));
  EXPECT_NO_THROW(spec.validateTensorParallel(2));
  std::string message =
      invalidArgumentOf([&] { spec.validateTensorParallel(4); });
  EXPECT_TRUE(contains(message, "kv_heads (2)") &&
              contains(message, "tensor-parallel size (4)"))
      << message;
  message = invalidArgumentOf([&] { spec.validateTensorParallel(3); });
  EXPECT_TRUE(contains(message, "heads (4)")) << message;
  spec = fourWaySpec(false);
  spec.ffn = 174;
  message = invalidArgumentOf([&] { spec.validateTensorParallel(4); });
  EXPECT_TRUE(contains(message, "ffn (174)")) << message;
  spec = fourWaySpec(false);
  spec.vocab = 66;
  message = invalidArgumentOf([&] { spec.validateTensorParallel(4); });
  EXPECT_TRUE(contains(message, "vocab (66)")) << message;
  EXPECT_FALSE(
      invalidArgumentOf([&] { spec.validateTensorParallel(0); }).empty());
}

TEST(ShardedWeightsTest, UnsplitModelLoadsAndGathersWholeWeights) {
  Model source(twoWaySpec(false), ModelRole::Policy, 3);
  Model target(twoWaySpec(false), ModelRole::Policy, 4);
  std::map<std::string, at::Tensor> weights = weightsOf(source);
  loadFullWeights(*target, weights);
  std::map<std::string, at::Tensor> gathered = gatherFullWeights(*target);
  ASSERT_EQ(gathered.size(), weights.size());
  for (const auto &[name, weight] : weights)
    EXPECT_TRUE(gathered.at(name).equal(weight)) << name;
  EXPECT_FALSE(target->parameters()[0].grad().defined());
}

TEST(ShardedWeightsTest, LoadingNamesTheMissingOrMisshapenWeight) {
  Model model(twoWaySpec(false), ModelRole::Policy, 5);
  std::map<std::string, at::Tensor> before = weightsOf(model);
  std::map<std::string, at::Tensor> weights = weightsOf(model);
  for (auto &[name, weight] : weights)
    weight = weight + 1;
  weights.erase("lm_head.weight");
  std::string message =
      invalidArgumentOf([&] { loadFullWeights(*model, weights); });
  EXPECT_TRUE(contains(message, "'lm_head.weight'")) << message;
  weights["lm_head.weight"] = at::zeros({32, 64});
  message = invalidArgumentOf([&] { loadFullWeights(*model, weights); });
  EXPECT_TRUE(contains(message, "'lm_head.weight'") &&
              contains(message, "[32, 64]") && contains(message, "[64, 64]"))
      << message;
  // Nothing was copied.
  for (const auto &[name, weight] : weightsOf(model))
    EXPECT_TRUE(weight.equal(before.at(name))) << name;
}

TEST(ShardedWeightsTest, InactiveGroupIsTheIdentity) {
  TensorParallel none;
  EXPECT_FALSE(none.active());
  EXPECT_EQ(none.sliceBegin(64), 0);
  EXPECT_EQ(none.sliceLength(64), 64);
  at::Tensor x = at::randn({2, 3, 4}).requires_grad_();
  EXPECT_TRUE(copyToTensorParallel(x, none).is_same(x));
  EXPECT_TRUE(reduceFromTensorParallel(x, none).is_same(x));
  EXPECT_TRUE(gatherLastDim(x, none).equal(x));

  at::Tensor logits = at::randn({2, 3, 8});
  at::Tensor tokens = at::randint(0, 8, {2, 3}, at::kLong);
  VocabParallelScores scores =
      vocabParallelTokenScores(logits, tokens, none, /*entropy=*/true);
  EXPECT_TRUE(scores.logProbs.equal(computeTokenLogProbs(logits, tokens)));
  EXPECT_TRUE(scores.entropy.equal(computeEntropyFromLogits(logits)));
  at::Tensor table = at::randn({8, 5});
  EXPECT_TRUE(vocabParallelEmbedding(tokens, table, none)
                  .equal(at::embedding(table, tokens)));
}

TEST(ShardedWeightsTest, CacheHoldsThisRanksKeyValueHeads) {
  ModelSpec spec = twoWaySpec(true); // 2 key/value heads of 16
  KvCache whole = KvCache::forModel(spec, 3, 10, at::kFloat);
  KvCache half = KvCache::forModel(spec, 3, 10, at::kFloat, 2);
  at::Tensor k = at::randn({3, 1, 4, 16});
  EXPECT_NO_THROW(half.update(0, k, k));
  EXPECT_THROW(whole.update(0, k, k), std::invalid_argument);
  EXPECT_THROW(KvCache::forModel(spec, 3, 10, at::kFloat, 4),
               std::invalid_argument);
}
