// The decoder: shapes, heads, GQA, RoPE, padding, copies, init, scoring.
#include "ModelTestSupport.h"

#include "rlg/Runtime/Generation/Sampling.h"
#include "rlg/Runtime/Model/AttentionMask.h"
#include "rlg/Runtime/Model/ModelCopy.h"
#include "rlg/Runtime/Model/Rotary.h"
#include "rlg/Runtime/Model/Scoring.h"

#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <stdexcept>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

at::Tensor onesLike(const at::Tensor &ids) { return at::ones_like(ids); }

at::Tensor randomIds(int64_t rows, int64_t columns, int64_t seed) {
  at::Generator generator = makeSeededGenerator(seed);
  return at::randint(3, 64, {rows, columns}, generator,
                     at::TensorOptions(at::kLong));
}

} // namespace

TEST(ModelSpecTest, FromPresetsAndArch) {
  ModelSpec tiny = modelSpecFromPreset("tiny");
  EXPECT_EQ(tiny.layers, 2);
  EXPECT_EQ(tiny.hidden, 64);
  EXPECT_EQ(tiny.vocab, 64);
  EXPECT_TRUE(tiny.tieEmbeddings);
  EXPECT_EQ(tiny.ropeTheta, 10000.0);
  EXPECT_FALSE(tiny.qkvBias);
  ModelSpec qwen = modelSpecFromPreset("qwen2.5-0.5b");
  EXPECT_EQ(qwen.ropeTheta, 1e6);
  EXPECT_TRUE(qwen.qkvBias);
  EXPECT_EQ(qwen.kvHeads, 2);
  EXPECT_THROW(modelSpecFromPreset("gpt-5"), std::invalid_argument);
  EXPECT_EQ(parseModelRole("value"), ModelRole::Value);
  EXPECT_THROW(parseModelRole("critic"), std::invalid_argument);
}

TEST(ModelSpecTest, ValidateNamesTheBadSize) {
  ModelSpec spec = tinySpec();
  spec.heads = 3;
  try {
    spec.validate();
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("divisible by heads"),
              std::string::npos)
        << e.what();
  }
  spec = tinySpec();
  spec.kvHeads = 3;
  EXPECT_THROW(spec.validate(), std::invalid_argument);
  spec = tinySpec();
  spec.layers = 0;
  EXPECT_THROW(Model(spec, ModelRole::Policy), std::invalid_argument);
}

TEST(ModelTest, ShapesOfEachHead) {
  at::Tensor ids = randomIds(2, 5, 1);
  at::Tensor mask = onesLike(ids);
  Model policy(tinySpec(), ModelRole::Policy);
  EXPECT_EQ(policy->forward(ids, mask).sizes().vec(),
            (std::vector<int64_t>{2, 5, 64}));
  Model value(tinySpec(), ModelRole::Value);
  EXPECT_EQ(value->forward(ids, mask).sizes().vec(),
            (std::vector<int64_t>{2, 5}));
  Model reward(tinySpec(), ModelRole::Reward);
  EXPECT_EQ(reward->sequenceScores(ids, mask).sizes().vec(),
            (std::vector<int64_t>{2}));
  EXPECT_THROW(policy->sequenceScores(ids, mask), std::logic_error);
  EXPECT_THROW(policy->forward(ids, mask.narrow(1, 0, 4)),
               std::invalid_argument);
}

TEST(ModelTest, ParameterCountMatchesThePresetArithmetic) {
  rlg::ModelArch arch = *rlg::findModelPreset("tiny");
  Model policy(modelSpecFromArch(arch), ModelRole::Policy);
  int64_t count = 0;
  for (const at::Tensor &p : policy->parameters())
    count += p.numel();
  EXPECT_EQ(count, arch.parameterCount());
}

TEST(ModelTest, TiedAndUntiedHeads) {
  at::Tensor ids = randomIds(1, 6, 2);
  at::Tensor mask = onesLike(ids);
  Model tied(tinySpec(true), ModelRole::Policy, 3);
  Model untied(tinySpec(false), ModelRole::Policy, 3);
  EXPECT_FALSE(tied->named_parameters().contains("lm_head.weight"));
  ASSERT_TRUE(untied->named_parameters().contains("lm_head.weight"));
  // Same seed, same body; only the head differs.
  at::Tensor hidden = tied->hiddenStates(ids, mask);
  EXPECT_EQ(maxAbsDiff(hidden, untied->hiddenStates(ids, mask)), 0.0);
  EXPECT_LT(maxAbsDiff(tied->forward(ids, mask),
                       at::matmul(hidden, tied->embedTokens->weight.t())),
            1e-6);
  {
    torch::NoGradGuard noGrad;
    untied->lmHead->weight.copy_(untied->embedTokens->weight);
  }
  EXPECT_LT(maxAbsDiff(untied->forward(ids, mask), tied->forward(ids, mask)),
            1e-6);
  int64_t tiedCount = 0, untiedCount = 0;
  for (const at::Tensor &p : tied->parameters())
    tiedCount += p.numel();
  for (const at::Tensor &p : untied->parameters())
    untiedCount += p.numel();
  EXPECT_EQ(untiedCount - tiedCount, 64 * 32);
}

TEST(ModelTest, QkvBiasFollowsTheSpec) {
  ModelSpec spec = tinySpec();
  spec.qkvBias = true;
  Model qwenLike(spec, ModelRole::Policy);
  auto params = qwenLike->named_parameters();
  EXPECT_TRUE(params.contains("layers.0.self_attn.q_proj.bias"));
  EXPECT_TRUE(params.contains("layers.0.self_attn.v_proj.bias"));
  EXPECT_FALSE(params.contains("layers.0.self_attn.o_proj.bias"));
  Model llamaLike(tinySpec(), ModelRole::Policy);
  EXPECT_FALSE(
      llamaLike->named_parameters().contains("layers.0.self_attn.q_proj.bias"));
}

TEST(ModelTest, GroupedQueryAttentionEqualsRepeatedKeyValueHeads) {
  ModelSpec grouped = tinySpec();
  grouped.qkvBias = true;
  ModelSpec full = grouped;
  full.kvHeads = full.heads;
  Model gqa(grouped, ModelRole::Policy, 5);
  Model mha(full, ModelRole::Policy, 6);
  int64_t headDim = grouped.headDim();
  int64_t groups = grouped.heads / grouped.kvHeads;
  {
    torch::NoGradGuard noGrad;
    auto source = gqa->named_parameters();
    for (auto &item : mha->named_parameters()) {
      const std::string &name = item.key();
      const at::Tensor &from = source[name];
      bool kv = name.find("k_proj") != std::string::npos ||
                name.find("v_proj") != std::string::npos;
      if (!kv) {
        item.value().copy_(from);
        continue;
      }
      // Query head h reads key/value head h / groups: repeat each kv head's
      // rows (weight) or entries (bias) `groups` times.
      for (int64_t h = 0; h < full.heads; ++h)
        item.value()
            .narrow(0, h * headDim, headDim)
            .copy_(from.narrow(0, (h / groups) * headDim, headDim));
    }
  }
  at::Tensor ids = randomIds(2, 7, 3);
  at::Tensor mask = onesLike(ids);
  EXPECT_LT(maxAbsDiff(gqa->forward(ids, mask), mha->forward(ids, mask)), 1e-5);
}

TEST(ModelTest, RotaryScoresDependOnlyOnRelativePositions) {
  at::Generator generator = makeSeededGenerator(11);
  at::Tensor q = at::randn({1, 2, 6, 8}, generator, at::TensorOptions());
  at::Tensor k = at::randn({1, 2, 6, 8}, generator, at::TensorOptions());
  at::Tensor positions = at::arange(6, at::kLong).unsqueeze(0);
  auto scores = [&](const at::Tensor &pos) {
    RotaryAngles angles = computeRotaryAngles(pos, 8, 10000.0);
    return at::matmul(applyRotary(q, angles),
                      applyRotary(k, angles).transpose(-2, -1));
  };
  at::Tensor base = scores(positions);
  EXPECT_LT(maxAbsDiff(base, scores(positions + 37)), 1e-4);
  EXPECT_LT(maxAbsDiff(base, scores(positions + 1000)), 1e-3);
  // Positions do matter: without rotation the scores differ.
  EXPECT_GT(maxAbsDiff(base, at::matmul(q, k.transpose(-2, -1))), 1e-2);
  // Rotation keeps each vector's norm.
  RotaryAngles angles = computeRotaryAngles(positions + 5, 8, 1e6);
  EXPECT_LT(maxAbsDiff(applyRotary(q, angles).norm(2, -1), q.norm(2, -1)),
            1e-5);
}

TEST(ModelTest, PositionsAndBiasFromALeftPaddedMask) {
  at::Tensor mask = at::tensor({0, 0, 1, 1, 1}, at::kLong).unsqueeze(0);
  EXPECT_TRUE(positionIdsFromMask(mask).equal(
      at::tensor({0, 0, 0, 1, 2}, at::kLong).unsqueeze(0)));
  at::Tensor bias = causalPaddingBias(mask, 5, at::kFloat);
  EXPECT_EQ(bias.sizes().vec(), (std::vector<int64_t>{1, 1, 5, 5}));
  EXPECT_EQ(bias[0][0][4][2].item<float>(), 0.0f);  // real key before
  EXPECT_LT(bias[0][0][4][1].item<float>(), -1e8f); // padding key
  EXPECT_LT(bias[0][0][2][3].item<float>(), -1e8f); // future key
  EXPECT_EQ(lastRealTokenIndex(at::tensor({1, 1, 1, 0}, at::kLong).unsqueeze(0))
                .item<int64_t>(),
            2);
}

TEST(ModelTest, LeftPaddingGivesTheSameLogits) {
  Model policy(tinySpec(), ModelRole::Policy, 9);
  at::Tensor shortPrompt = randomIds(1, 5, 4);
  at::Tensor longPrompt = randomIds(1, 8, 5);
  at::Tensor alone = policy->forward(shortPrompt, onesLike(shortPrompt));
  at::Tensor padded = at::cat({at::zeros({1, 3}, at::kLong), shortPrompt}, 1);
  at::Tensor ids = at::cat({padded, longPrompt}, 0);
  at::Tensor mask = at::ones({2, 8}, at::kLong);
  mask[0].narrow(0, 0, 3).fill_(0);
  at::Tensor batched = policy->forward(ids, mask);
  EXPECT_LT(maxAbsDiff(batched[0].narrow(0, 3, 5), alone[0]), 1e-5);
  EXPECT_LT(maxAbsDiff(batched[1],
                       policy->forward(longPrompt, onesLike(longPrompt))[0]),
            1e-5);
}

TEST(ModelTest, LaterTokensDoNotChangeEarlierLogits) {
  Model policy(tinySpec(), ModelRole::Policy, 10);
  at::Tensor ids = randomIds(1, 6, 6);
  at::Tensor changed = ids.clone();
  changed[0][5] = (ids[0][5].item<int64_t>() + 1) % 64;
  at::Tensor a = policy->forward(ids, onesLike(ids));
  at::Tensor b = policy->forward(changed, onesLike(changed));
  EXPECT_EQ(maxAbsDiff(a.narrow(1, 0, 5), b.narrow(1, 0, 5)), 0.0);
  EXPECT_GT(maxAbsDiff(a.narrow(1, 5, 1), b.narrow(1, 5, 1)), 0.0);
}

TEST(ModelTest, SeededInitialisation) {
  Model a(tinySpec(), ModelRole::Policy, 7);
  Model b(tinySpec(), ModelRole::Policy, 7);
  Model c(tinySpec(), ModelRole::Policy, 8);
  Model value(tinySpec(), ModelRole::Value, 7);
  auto bParams = b->named_parameters();
  auto cParams = c->named_parameters();
  auto valueParams = value->named_parameters();
  for (const auto &item : a->named_parameters()) {
    EXPECT_TRUE(item.value().equal(bParams[item.key()])) << item.key();
    EXPECT_TRUE(item.value().equal(valueParams[item.key()])) << item.key();
    if (item.key().find("layernorm") == std::string::npos &&
        item.key() != "norm.weight") {
      EXPECT_FALSE(item.value().equal(cParams[item.key()])) << item.key();
    }
  }
  // Output projections start smaller than the others.
  double outputStd = a->named_parameters()["layers.0.mlp.down_proj.weight"]
                         .std()
                         .item<double>();
  double inputStd =
      a->named_parameters()["layers.0.mlp.up_proj.weight"].std().item<double>();
  EXPECT_NEAR(inputStd, 0.02, 0.002);
  EXPECT_NEAR(outputStd, 0.01, 0.002); // 0.02 / sqrt(2 * 2 layers)
  EXPECT_TRUE(a->named_parameters()["norm.weight"].equal(at::ones({32})));
}

TEST(ModelTest, FrozenCopyIsUnchangedByTrainingTheSource) {
  Model source(tinySpec(false), ModelRole::Policy, 12);
  Model frozen = frozenCopy(source);
  auto sourceParams = source->named_parameters();
  for (const auto &item : frozen->named_parameters()) {
    EXPECT_FALSE(item.value().requires_grad()) << item.key();
    EXPECT_TRUE(item.value().equal(sourceParams[item.key()])) << item.key();
    EXPECT_NE(item.value().data_ptr(), sourceParams[item.key()].data_ptr());
  }
  at::Tensor ids = randomIds(2, 6, 7);
  at::Tensor before = frozen->forward(ids, onesLike(ids));
  torch::optim::Adam optimizer(source->parameters(),
                               torch::optim::AdamOptions(1e-2));
  optimizer.zero_grad();
  source->forward(ids, onesLike(ids)).pow(2).mean().backward();
  optimizer.step();
  EXPECT_GT(maxAbsDiff(source->forward(ids, onesLike(ids)), before), 1e-4);
  EXPECT_EQ(maxAbsDiff(frozen->forward(ids, onesLike(ids)), before), 0.0);
}

TEST(ModelTest, CopyMatchingWeightsMovesTheBodyNotTheHead) {
  Model policy(tinySpec(), ModelRole::Policy, 13);
  Model critic(tinySpec(), ModelRole::Value, 14);
  at::Tensor head = critic->valueHead->weight.clone();
  std::vector<std::string> copied = copyMatchingWeights(policy, critic);
  EXPECT_EQ(copied.size(), critic->parameters().size() - 2);
  EXPECT_TRUE(critic->valueHead->weight.equal(head));
  at::Tensor ids = randomIds(1, 4, 8);
  EXPECT_EQ(maxAbsDiff(critic->hiddenStates(ids, onesLike(ids)),
                       policy->hiddenStates(ids, onesLike(ids))),
            0.0);
}

TEST(ModelTest, CheckpointingGivesTheSameGradients) {
  at::Tensor ids = randomIds(2, 6, 9);
  at::Tensor mask = onesLike(ids);
  mask[1][0] = 0;
  auto gradients = [&](bool checkpointing) {
    Model policy(tinySpec(), ModelRole::Policy, 15);
    policy->setCheckpointing(checkpointing);
    at::Tensor loss = policy->forward(ids, mask).log_softmax(-1).mean();
    loss.backward();
    std::vector<at::Tensor> grads;
    for (const at::Tensor &p : policy->parameters()) {
      EXPECT_TRUE(p.grad().defined());
      grads.push_back(p.grad().clone());
    }
    return std::make_pair(loss.item<double>(), grads);
  };
  auto [plainLoss, plain] = gradients(false);
  auto [checkpointedLoss, checkpointed] = gradients(true);
  EXPECT_NEAR(plainLoss, checkpointedLoss, 1e-7);
  ASSERT_EQ(plain.size(), checkpointed.size());
  for (size_t i = 0; i < plain.size(); ++i)
    EXPECT_LT(maxAbsDiff(plain[i], checkpointed[i]), 1e-6) << "parameter " << i;
}

TEST(ModelTest, ScoringGathersResponseTokens) {
  Model policy(tinySpec(), ModelRole::Policy, 16);
  at::Tensor ids = randomIds(3, 7, 10);
  at::Tensor mask = onesLike(ids);
  mask[0][0] = 0; // left padding
  mask[2][6] = 0; // a shorter response
  ScoringOptions options;
  options.entropy = true;
  TokenScores scores = scoreResponseTokens(policy, ids, mask, 3, options);
  ASSERT_EQ(scores.logProbs.sizes().vec(), (std::vector<int64_t>{3, 3}));
  at::Tensor logp = policy->forward(ids, mask).log_softmax(-1);
  for (int64_t row = 0; row < 3; ++row) {
    for (int64_t j = 0; j < 3; ++j) {
      double expected = row == 2 && j == 2
                            ? 0.0
                            : logp[row][3 + j][ids[row][4 + j].item<int64_t>()]
                                  .item<double>();
      EXPECT_NEAR(scores.logProbs[row][j].item<double>(), expected, 1e-5);
    }
  }
  EXPECT_EQ(scores.entropy[2][2].item<double>(), 0.0);
  EXPECT_GT(scores.entropy[0][0].item<double>(), 0.0);
  options.microBatch = 2;
  TokenScores micro = scoreResponseTokens(policy, ids, mask, 3, options);
  EXPECT_LT(maxAbsDiff(micro.logProbs, scores.logProbs), 1e-6);
  EXPECT_LT(maxAbsDiff(micro.entropy, scores.entropy), 1e-6);
  options.temperature = 0.5;
  TokenScores hot = scoreResponseTokens(policy, ids, mask, 3, options);
  EXPECT_GT(maxAbsDiff(hot.logProbs, scores.logProbs), 1e-4);
  EXPECT_THROW(scoreResponseTokens(policy, ids, mask, 7),
               std::invalid_argument);
}

TEST(ModelTest, ValuesAndRewards) {
  Model critic(tinySpec(), ModelRole::Value, 17);
  Model rm(tinySpec(), ModelRole::Reward, 18);
  at::Tensor ids = randomIds(2, 6, 11);
  at::Tensor mask = onesLike(ids);
  mask[1][5] = 0;
  at::Tensor values = responseValues(critic, ids, mask, 2, 1);
  at::Tensor all = critic->forward(ids, mask);
  EXPECT_LT(maxAbsDiff(values[0], all[0].narrow(0, 3, 2)), 1e-6);
  EXPECT_NEAR(values[1][0].item<double>(), all[1][3].item<double>(), 1e-6);
  EXPECT_EQ(values[1][1].item<double>(), 0.0);
  at::Tensor rewards = sequenceRewards(rm, ids, mask, 1);
  at::Tensor perToken = rm->forward(ids, mask);
  EXPECT_NEAR(rewards[0].item<double>(), perToken[0][5].item<double>(), 1e-6);
  EXPECT_NEAR(rewards[1].item<double>(), perToken[1][4].item<double>(), 1e-6);
  Model policy(tinySpec(), ModelRole::Policy);
  EXPECT_THROW(responseValues(policy, ids, mask, 2), std::invalid_argument);
  EXPECT_THROW(sequenceRewards(policy, ids, mask), std::invalid_argument);
}

TEST(ModelTest, RunsInBFloat16) {
  Model policy(tinySpec(), ModelRole::Policy, 19);
  at::Tensor ids = randomIds(2, 5, 12);
  at::Tensor mask = onesLike(ids);
  mask[0][0] = 0;
  at::Tensor reference = policy->forward(ids, mask);
  policy->to(at::kBFloat16);
  at::Tensor logits = policy->forward(ids, mask);
  EXPECT_EQ(logits.scalar_type(), at::kBFloat16);
  EXPECT_TRUE(at::isfinite(logits.to(at::kFloat)).all().item<bool>());
  EXPECT_LT(maxAbsDiff(logits.narrow(1, 1, 4), reference.narrow(1, 1, 4)),
            0.05);
  TokenScores scores = scoreResponseTokens(policy, ids, mask, 2);
  EXPECT_EQ(scores.logProbs.scalar_type(), at::kFloat);
}
