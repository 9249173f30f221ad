// Unit tests for the aggregation modes and the PPO, value and entropy losses.
#include "rlg/Runtime/Algorithms/Losses.h"

#include "TensorTestSupport.h"

#include <cmath>
#include <limits>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

at::Tensor paddedMask() { return mat({{1, 1, 1}, {1, 1, 0}}); }

// Row 0 has three real tokens, row 1 one real token and two of padding.
at::Tensor shortMask() { return mat({{1, 1, 1}, {1, 0, 0}}); }

// ---- Aggregation ------------------------------------------------------------

// loss [[1, 2, 3], [4, 5, 100(pad)]], mask [[1,1,1],[1,1,0]]:
//   token-mean          = (1+2+3+4+5) / 5       = 3
//   seq-mean-token-sum  = ((1+2+3) + (4+5)) / 2 = 7.5
//   seq-mean-token-mean = (6/3 + 9/2) / 2       = 3.25
TEST(AggregationTest, ThreeModesByHand) {
  at::Tensor loss = mat({{1, 2, 3}, {4, 5, 100}});
  EXPECT_NEAR(
      value(aggregateLoss(loss, paddedMask(), LossAggregation::TokenMean)), 3.0,
      1e-12);
  EXPECT_NEAR(value(aggregateLoss(loss, paddedMask(),
                                  LossAggregation::SeqMeanTokenSum)),
              7.5, 1e-12);
  EXPECT_NEAR(value(aggregateLoss(loss, paddedMask(),
                                  LossAggregation::SeqMeanTokenMean)),
              3.25, 1e-12);
}

TEST(AggregationTest, NamesAndPaddingGarbage) {
  for (const char *name :
       {"token-mean", "seq-mean-token-sum", "seq-mean-token-mean"})
    EXPECT_STREQ(lossAggregationName(parseLossAggregation(name)), name);
  expectInvalid([] { parseLossAggregation("mean"); }, {"'mean'"});
  // A NaN or inf at a padding position does not reach the result.
  at::Tensor loss = mat({{1, std::numeric_limits<double>::quiet_NaN()},
                         {std::numeric_limits<double>::infinity(), 3}});
  at::Tensor m = mat({{1, 0}, {0, 1}});
  EXPECT_NEAR(value(aggregateLoss(loss, m, LossAggregation::TokenMean)), 2.0,
              1e-12);
  // A row without real tokens counts as 0 in the sequence means.
  EXPECT_NEAR(value(aggregateLoss(mat({{2, 4}, {6, 8}}), mat({{1, 1}, {0, 0}}),
                                  LossAggregation::SeqMeanTokenMean)),
              1.5, 1e-12);
}

TEST(AggregationTest, Errors) {
  expectInvalid(
      [] {
        aggregateLoss(mat({{1, 2}}), mat({{1, 1, 1}}),
                      LossAggregation::TokenMean);
      },
      {"aggregateLoss", "mask", "[1, 3]", "loss", "[1, 2]"});
  expectInvalid(
      [] {
        aggregateLoss(vec({1, 2}), vec({1, 1}), LossAggregation::TokenMean);
      },
      {"loss", "2-D", "[2]"});
}

// ---- PPO clip ---------------------------------------------------------------

// Four real tokens (row 0: a, b, c; row 1: d, padding, padding), old_lp = -1
// and lp = -1 + log(ratio):
//   a: ratio 1.5, adv +1: -1.5 vs -1*1.2 = -1.2 -> max -1.2   (clipped)
//   b: ratio 0.5, adv +1: -0.5 vs -0.8         -> -0.5        (not clipped)
//   c: ratio 0.5, adv -1:  0.5 vs  0.8         ->  0.8        (clipped)
//   d: ratio 5,   adv -1:  5   vs  1.2         ->  5          (not clipped)
// token-mean: (-1.2 - 0.5 + 0.8 + 5) / 4 = 1.025; clipfrac 2/4 = 0.5.
// With dual clip 3, d (adv < 0) is capped at -3 * adv = 3:
//   (-1.2 - 0.5 + 0.8 + 3) / 4 = 0.525, clipfrac_lower 1/4 (c: 0.8 < 3).
// approx KL = mean(old_lp - lp) = -(log 1.5 + 2 log 0.5 + log 5) / 4
//           = -log(1.875) / 4 = -0.15715216485559352.
struct PpoCase {
  at::Tensor lp, oldLp, adv, mask;
};

PpoCase ppoCase() {
  PpoCase c;
  c.oldLp = at::full({2, 3}, -1.0, at::kDouble);
  c.lp = c.oldLp + at::log(mat({{1.5, 0.5, 0.5}, {5, 1, 1}}));
  c.adv = mat({{1, 1, -1}, {-1, 7, 7}});
  c.mask = shortMask();
  return c;
}

TEST(PpoClipTest, SymmetricClipByHand) {
  PpoCase c = ppoCase();
  PolicyLossResult out = computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask);
  EXPECT_NEAR(value(out.loss), 1.025, 1e-12);
  EXPECT_NEAR(value(out.clipFraction), 0.5, 1e-12);
  EXPECT_NEAR(value(out.clipFractionLower), 0.0, 0);
  EXPECT_NEAR(value(out.approxKl), -0.15715216485559352, 1e-12);
  MetricMap metrics = out.metrics();
  EXPECT_NEAR(metrics.at("actor/pg_loss"), 1.025, 1e-12);
  EXPECT_NEAR(metrics.at("actor/pg_clipfrac"), 0.5, 1e-12);
  EXPECT_NEAR(metrics.at("actor/ppo_kl"), -0.15715216485559352, 1e-12);
  EXPECT_EQ(metrics.count("actor/pg_clipfrac_lower"), 1u);
}

TEST(PpoClipTest, DualClipByHand) {
  PpoCase c = ppoCase();
  PpoClipOptions options;
  options.dualClip = 3.0;
  PolicyLossResult out =
      computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask, options);
  EXPECT_NEAR(value(out.loss), 0.525, 1e-12);
  EXPECT_NEAR(value(out.clipFraction), 0.5, 1e-12);
  EXPECT_NEAR(value(out.clipFractionLower), 0.25, 1e-12);
}

// Clip-higher [1 - 0.2, 1 + 0.28]: a becomes -1 * 1.28 = -1.28; c is still
// clipped at 0.8: (-1.28 - 0.5 + 0.8 + 5) / 4 = 1.005.
TEST(PpoClipTest, AsymmetricClipByHand) {
  PpoCase c = ppoCase();
  PpoClipOptions options;
  options.clipHigh = 0.28;
  PolicyLossResult out =
      computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask, options);
  EXPECT_NEAR(value(out.loss), 1.005, 1e-12);
}

// seq-mean-token-mean: row 0 (-1.2 - 0.5 + 0.8) / 3 = -0.3, row 1 5 / 1:
// (-0.3 + 5) / 2 = 2.35.
TEST(PpoClipTest, SeqMeanTokenMeanByHand) {
  PpoCase c = ppoCase();
  PpoClipOptions options;
  options.aggregation = LossAggregation::SeqMeanTokenMean;
  EXPECT_NEAR(
      value(computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask, options).loss),
      2.35, 1e-12);
}

// d loss / d lp at an unclipped token is -adv * ratio / 4 (token-mean over
// 4 tokens); clipped tokens and padding get 0:
//   b: -1 * 0.5 / 4 = -0.125;  d: +1 * 5 / 4 = 1.25 (0 under dual clip).
TEST(PpoClipTest, GradientFlowsOnlyThroughUnclippedTokens) {
  PpoCase c = ppoCase();
  at::Tensor lp = c.lp.detach().clone();
  lp.set_requires_grad(true);
  computePpoClipLoss(lp, c.oldLp, c.adv, c.mask).loss.backward();
  expectNear(lp.grad(), mat({{0, -0.125, 0}, {1.25, 0, 0}}), 1e-12);

  at::Tensor lp2 = c.lp.detach().clone();
  lp2.set_requires_grad(true);
  PpoClipOptions options;
  options.dualClip = 3.0;
  computePpoClipLoss(lp2, c.oldLp, c.adv, c.mask, options).loss.backward();
  expectNear(lp2.grad(), mat({{0, -0.125, 0}, {0, 0, 0}}), 1e-12);
}

// At ratio 1 (lp = old_lp) the loss is -token-mean(adv) and nothing clips.
TEST(PpoClipTest, OnPolicyLossIsMinusMeanAdvantage) {
  at::Tensor lp = mat({{-1, -2, -3}, {-1, -1, -1}});
  at::Tensor adv = mat({{1, 2, 3}, {4, 5, 6}});
  PolicyLossResult out = computePpoClipLoss(lp, lp, adv, paddedMask());
  EXPECT_NEAR(value(out.loss), -3.0, 1e-12);
  EXPECT_NEAR(value(out.clipFraction), 0.0, 0);
  EXPECT_NEAR(value(out.approxKl), 0.0, 0);
}

TEST(PpoClipTest, Errors) {
  PpoCase c = ppoCase();
  expectInvalid(
      [&] {
        computePpoClipLoss(c.lp, c.oldLp, mat({{1, 2}, {3, 4}}), c.mask);
      },
      {"computePpoClipLoss", "advantages", "[2, 2]", "logProbs", "[2, 3]"});
  expectInvalid(
      [&] {
        computePpoClipLoss(c.lp, vec({1, 2}), c.adv, c.mask);
      },
      {"oldLogProbs", "2-D", "[2]"});
  expectInvalid(
      [&] {
        computePpoClipLoss(c.lp, c.oldLp, c.adv, mat({{1, 1, 1}}));
      },
      {"mask", "[1, 3]"});
  PpoClipOptions bad;
  bad.dualClip = 1.0;
  expectInvalid([&] { computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask, bad); },
                {"dualClip", "greater than 1"});
  PpoClipOptions badLow;
  badLow.clipLow = 0.0;
  expectInvalid(
      [&] { computePpoClipLoss(c.lp, c.oldLp, c.adv, c.mask, badLow); },
      {"clipLow"});
}

// ---- Value loss -------------------------------------------------------------

// clip 0.2; v = prediction, old = old value, ret = return:
//   a: v 1.5, old 1, ret 2:  v_clip 1.2: (1.5-2)^2 = 0.25, (1.2-2)^2 = 0.64
//      -> 0.64 (clipped)
//   b: v 0.9, old 1, ret 0:  v_clip 0.9: 0.81, 0.81 -> 0.81
//   c: v 0,   old 1, ret 0.5: v_clip 0.8: 0.25, 0.09 -> 0.25
//   d: v 2,   old 0, ret 1:  v_clip 0.2: 1, 0.64 -> 1
// loss = 0.5 * (0.64 + 0.81 + 0.25 + 1) / 4 = 0.3375, clipfrac 1/4.
// Without clip: 0.5 * (0.25 + 0.81 + 0.25 + 1) / 4 = 0.28875.
// vpred_mean = (1.5 + 0.9 + 0 + 2) / 4 = 1.1.
struct ValueCase {
  at::Tensor v, old, ret;
};

ValueCase valueCase() {
  return {mat({{1.5, 0.9, 0}, {2, 50, 50}}), mat({{1, 1, 1}, {0, 0, 0}}),
          mat({{2, 0, 0.5}, {1, -50, -50}})};
}

TEST(ValueLossTest, ClippedByHand) {
  ValueCase c = valueCase();
  ValueLossResult out = computeValueLoss(c.v, c.old, c.ret, shortMask());
  EXPECT_NEAR(value(out.loss), 0.3375, 1e-12);
  EXPECT_NEAR(value(out.clipFraction), 0.25, 1e-12);
  EXPECT_NEAR(value(out.predictionMean), 1.1, 1e-12);
  MetricMap metrics = out.metrics();
  EXPECT_NEAR(metrics.at("critic/vf_loss"), 0.3375, 1e-12);
  EXPECT_NEAR(metrics.at("critic/vf_clipfrac"), 0.25, 1e-12);
  EXPECT_NEAR(metrics.at("critic/vpred_mean"), 1.1, 1e-12);
}

TEST(ValueLossTest, UnclippedByHand) {
  ValueCase c = valueCase();
  ValueLossResult out =
      computeValueLoss(c.v, c.old, c.ret, shortMask(), std::nullopt);
  EXPECT_NEAR(value(out.loss), 0.28875, 1e-12);
  EXPECT_NEAR(value(out.clipFraction), 0.0, 0);
}

// d loss / d v: token a takes the clipped error, whose v_clip = old + 0.2
// is constant: 0. The others are 0.5 * 2 * (v - ret) / 4: b 0.9 / 4 =
// 0.225, c -0.5 / 4 = -0.125, d 1 / 4 = 0.25; padding 0.
TEST(ValueLossTest, GradientByHand) {
  ValueCase c = valueCase();
  at::Tensor v = c.v.clone();
  v.set_requires_grad(true);
  computeValueLoss(v, c.old, c.ret, shortMask()).loss.backward();
  expectNear(v.grad(), mat({{0, 0.225, -0.125}, {0.25, 0, 0}}), 1e-12);
}

TEST(ValueLossTest, Errors) {
  ValueCase c = valueCase();
  expectInvalid(
      [&] {
        computeValueLoss(c.v, c.old, mat({{1, 2, 3}}), shortMask());
      },
      {"computeValueLoss", "returns", "[1, 3]", "values", "[2, 3]"});
  expectInvalid([&] { computeValueLoss(c.v, c.old, c.ret, shortMask(), 0.0); },
                {"clip"});
}

// ---- Entropy and token log-probs -------------------------------------------

// Uniform over V = 4: log 4 = 1.3862943611198906.
// Logits [0, log 3, -inf, -inf]: p = [0.25, 0.75, 0, 0]:
//   H = -(0.25 log 0.25 + 0.75 log 0.75) = 0.5623351446188083.
// Logits [1000, 1000, 0, 0]: ~ two equal tokens: log 2 (no overflow).
TEST(EntropyTest, ByHand) {
  double inf = std::numeric_limits<double>::infinity();
  at::Tensor logits =
      at::tensor(at::ArrayRef<double>({0, 0, 0, 0, 0, std::log(3.0), -inf, -inf,
                                       1000, 1000, 0, 0}),
                 at::kDouble);
  logits = logits.reshape({1, 3, 4});
  at::Tensor h = computeEntropyFromLogits(logits);
  expectNear(
      h, mat({{1.3862943611198906, 0.5623351446188083, 0.6931471805599453}}),
      1e-12);
}

TEST(EntropyTest, GradientIsFiniteWithMinusInfinityLogits) {
  double inf = std::numeric_limits<double>::infinity();
  at::Tensor logits =
      at::tensor(at::ArrayRef<double>({0.0, 1.0, -inf}), at::kDouble)
          .reshape({1, 1, 3});
  logits.set_requires_grad(true);
  computeEntropyFromLogits(logits).sum().backward();
  at::Tensor g = logits.grad();
  EXPECT_TRUE(value(at::isfinite(g).all().to(at::kDouble)) == 1.0);
  // dH/dz_i = -p_i (log p_i + H): for p = softmax([0, 1]) =
  // [0.2689414213699951, 0.7310585786300049], H = 0.5822031088882179:
  //   dz0 = -0.26894142 * (log 0.26894142 + H) = 0.19661193324148185
  EXPECT_NEAR(value(g[0][0][0]), 0.19661193324148185, 1e-12);
  EXPECT_NEAR(value(g[0][0][1]), -0.19661193324148185, 1e-12);
  EXPECT_NEAR(value(g[0][0][2]), 0.0, 0);
}

// Logits [0, log 3] for token 1: log 0.75 = -0.2876820724517809; token 0:
// log 0.25.
TEST(EntropyTest, TokenLogProbsByHand) {
  at::Tensor logits =
      at::tensor(at::ArrayRef<double>({0.0, std::log(3.0), 0.0, std::log(3.0)}),
                 at::kDouble)
          .reshape({1, 2, 2});
  at::Tensor tokens =
      at::tensor(at::ArrayRef<int64_t>({1, 0}), at::kLong).reshape({1, 2});
  expectNear(computeTokenLogProbs(logits, tokens),
             mat({{-0.2876820724517809, std::log(0.25)}}), 1e-12);
}

TEST(EntropyTest, Errors) {
  expectInvalid(
      [] {
        computeEntropyFromLogits(mat({{1, 2}}));
      },
      {"computeEntropyFromLogits", "logits", "3-D", "[1, 2]"});
  at::Tensor logits = at::zeros({1, 2, 3}, at::kDouble);
  expectInvalid(
      [&] {
        computeTokenLogProbs(logits, at::zeros({1, 3}, at::kLong));
      },
      {"computeTokenLogProbs", "tokens", "[1, 3]", "[1, 2, 3]"});
  expectInvalid(
      [&] {
        computeTokenLogProbs(logits, at::full({1, 2}, 3, at::kLong));
      },
      {"token ids", "[0, 3)"});
  expectInvalid(
      [&] {
        computeTokenLogProbs(logits, at::zeros({1, 2}, at::kDouble));
      },
      {"integer ids"});
}

} // namespace
