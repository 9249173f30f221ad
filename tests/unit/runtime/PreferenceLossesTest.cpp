// Unit tests for DPO, IPO, KTO, SFT and the Bradley-Terry reward loss.
#include "rlg/Runtime/Algorithms/Losses.h"

#include "TensorTestSupport.h"

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

// Two pairs:
//   policy chosen [-1, -2], rejected [-3, -1]; reference all -2.
//   h = (pc - pr) - (rc - rr) = [2, -1].
PairLogProbs twoPairs() {
  return {vec({-1, -2}), vec({-3, -1}), vec({-2, -2}), vec({-2, -2})};
}

// beta = 0.5: beta*h = [1, -0.5];
//   loss = mean(log(1 + e^-1), log(1 + e^0.5))
//        = mean(0.31326168751822286, 0.9740769841801067)
//        = 0.6436693358491647.
// Rewards beta*(policy - ref): chosen [0.5, 0], rejected [-0.5, 0.5]:
//   means 0.25 and 0; accuracy 1/2 (0.5 > -0.5, 0 < 0.5); margin
//   mean(1, -0.5) = 0.25.
TEST(DpoTest, SigmoidLossByHand) {
  PreferenceLossResult out = computeDpoLoss(twoPairs(), 0.5);
  EXPECT_NEAR(value(out.loss), 0.6436693358491647, 1e-12);
  EXPECT_NEAR(value(out.chosenReward), 0.25, 1e-12);
  EXPECT_NEAR(value(out.rejectedReward), 0.0, 1e-12);
  EXPECT_NEAR(value(out.accuracy), 0.5, 1e-12);
  EXPECT_NEAR(value(out.margin), 0.25, 1e-12);
  MetricMap metrics = out.metrics();
  EXPECT_NEAR(metrics.at("actor/dpo_loss"), 0.6436693358491647, 1e-12);
  EXPECT_NEAR(metrics.at("actor/rewards/accuracies"), 0.5, 1e-12);
  EXPECT_NEAR(metrics.at("actor/rewards/margins"), 0.25, 1e-12);
}

// d loss / d pc_i = -beta * sigmoid(-beta h_i) / B:
//   pair 0: -0.5 * sigmoid(-1) / 2 = -0.5 * 0.2689414213699951 / 2
//         = -0.06723535534249878
//   pair 1: -0.5 * sigmoid(0.5) / 2 = -0.5 * 0.6224593312018546 / 2
//         = -0.15561483280046365
// The reference gets no gradient through the rewards (detached) but the
// loss does depend on it; only the policy is checked here.
TEST(DpoTest, GradientByHand) {
  PairLogProbs pairs = twoPairs();
  pairs.policyChosen.set_requires_grad(true);
  computeDpoLoss(pairs, 0.5).loss.backward();
  expectNear(pairs.policyChosen.grad(),
             vec({-0.06723535534249878, -0.15561483280046365}), 1e-12);
}

// tau = 0.5: 1 / (2 tau) = 1; loss = mean((2 - 1)^2, (-1 - 1)^2) = 2.5.
// Rewards are scaled by tau = 0.5, the same numbers as DPO with beta 0.5.
TEST(IpoTest, SquaredLossByHand) {
  PreferenceLossResult out = computeIpoLoss(twoPairs(), 0.5);
  EXPECT_NEAR(value(out.loss), 2.5, 1e-12);
  EXPECT_NEAR(value(out.accuracy), 0.5, 1e-12);
  EXPECT_NEAR(value(out.margin), 0.25, 1e-12);
  EXPECT_NEAR(out.metrics().at("actor/ipo_loss"), 2.5, 1e-12);
  // tau = 0.25: 1/(2 tau) = 2: mean(0^2, (-3)^2) = 4.5.
  EXPECT_NEAR(value(computeIpoLoss(twoPairs(), 0.25).loss), 4.5, 1e-12);
}

TEST(PreferenceTest, Errors) {
  PairLogProbs bad = twoPairs();
  bad.refRejected = vec({-2, -2, -2});
  expectInvalid(
      [&] { computeDpoLoss(bad, 0.1); },
      {"computeDpoLoss", "refRejected", "[3]", "policyChosen", "[2]"});
  expectInvalid([] { computeDpoLoss(twoPairs(), 0.0); }, {"beta"});
  expectInvalid([] { computeIpoLoss(twoPairs(), -1.0); }, {"tau"});
  PairLogProbs matrix = twoPairs();
  matrix.policyRejected = mat({{-3, -1}});
  expectInvalid([&] { computeIpoLoss(matrix, 0.1); },
                {"computeIpoLoss", "policyRejected", "1-D", "[1, 2]"});
  PairLogProbs empty{vec({}), vec({}), vec({}), vec({})};
  expectInvalid([&] { computeDpoLoss(empty, 0.1); }, {"B = 0"});
}

// ---- KTO --------------------------------------------------------------------

// policy [-1, -2, -3, -1], reference all -2: r = [1, 0, -1, 1];
// labels: desirable, desirable, undesirable, undesirable; beta = 1.
// z0 = max(0, mean r) = 0.25.
//   desirable:   1 - sigmoid(r - z0): 1 - s(0.75)  = 0.320821300824607
//                                     1 - s(-0.25) = 0.5621765008857981
//   undesirable: 1 - sigmoid(z0 - r): 1 - s(1.25)  = 0.22270013882530892
//                                     1 - s(-0.75) = 0.679178699175393
// loss = mean = 0.4462191599277767. With weights 2 and 0.5:
//   (2 * (0.3208 + 0.5622) + 0.5 * (0.2227 + 0.6792)) / 4
//   = 0.5542337556052903.
// Rewards beta * r: desirable mean (1 + 0) / 2 = 0.5, undesirable
// (-1 + 1) / 2 = 0.
TEST(KtoTest, ByHand) {
  at::Tensor policy = vec({-1, -2, -3, -1});
  at::Tensor ref = vec({-2, -2, -2, -2});
  at::Tensor labels = vec({1, 1, 0, 0});
  KtoOptions options;
  options.beta = 1.0;
  KtoLossResult out = computeKtoLoss(policy, ref, labels, options);
  EXPECT_NEAR(value(out.loss), 0.4462191599277767, 1e-12);
  EXPECT_NEAR(value(out.referencePoint), 0.25, 1e-12);
  EXPECT_NEAR(value(out.desirableReward), 0.5, 1e-12);
  EXPECT_NEAR(value(out.undesirableReward), 0.0, 1e-12);
  EXPECT_NEAR(out.metrics().at("actor/kto_kl"), 0.25, 1e-12);

  options.desirableWeight = 2.0;
  options.undesirableWeight = 0.5;
  EXPECT_NEAR(
      value(computeKtoLoss(policy, ref, labels.to(at::kBool), options).loss),
      0.5542337556052903, 1e-12);
}

// z0 is detached: d loss / d policy_0 = -s(0.75) (1 - s(0.75)) / 4
// = -0.05447374844045351 (with z0 differentiable it would differ).
// A negative mean log-ratio is clamped: policy = ref - 1 gives z0 = 0.
TEST(KtoTest, ReferencePointIsDetachedAndClamped) {
  at::Tensor policy = vec({-1, -2, -3, -1});
  policy.set_requires_grad(true);
  KtoOptions options;
  options.beta = 1.0;
  computeKtoLoss(policy, vec({-2, -2, -2, -2}), vec({1, 1, 0, 0}), options)
      .loss.backward();
  EXPECT_NEAR(value(policy.grad()[0]), -0.05447374844045351, 1e-12);

  KtoLossResult out =
      computeKtoLoss(vec({-3, -3}), vec({-2, -2}), vec({1, 0}), options);
  EXPECT_NEAR(value(out.referencePoint), 0.0, 0);
  // r = -1 for both: desirable 1 - s(-1) = 0.7310585786300049, undesirable
  // 1 - s(1) = 0.2689414213699951; mean 0.5.
  EXPECT_NEAR(value(out.loss), 0.5, 1e-12);
}

TEST(KtoTest, Errors) {
  expectInvalid(
      [] {
        computeKtoLoss(vec({1, 2}), vec({1, 2}), vec({1, 0, 1}));
      },
      {"computeKtoLoss", "desirable", "[3]", "policyLogProbs", "[2]"});
  expectInvalid(
      [] {
        computeKtoLoss(vec({1, 2}), vec({1}), vec({1, 0}));
      },
      {"refLogProbs", "[1]"});
  KtoOptions bad;
  bad.undesirableWeight = -1;
  expectInvalid(
      [&] {
        computeKtoLoss(vec({1, 2}), vec({1, 2}), vec({1, 0}), bad);
      },
      {"undesirableWeight"});
}

// ---- SFT --------------------------------------------------------------------

// log-probs [[-1, -2, -3], [-4, -5, 9(pad)]]: -(-15) / 5 = 3.
TEST(SftTest, TokenMeanNllByHand) {
  EXPECT_NEAR(value(computeSftLoss(mat({{-1, -2, -3}, {-4, -5, 9}}),
                                   mat({{1, 1, 1}, {1, 1, 0}}))),
              3.0, 1e-12);
  expectInvalid(
      [] {
        computeSftLoss(mat({{-1, -2}}), mat({{1, 1}, {1, 1}}));
      },
      {"computeSftLoss", "mask", "[2, 2]", "tokenLogProbs", "[1, 2]"});
}

// ---- Bradley-Terry ----------------------------------------------------------

// chosen [2, 0], rejected [1, 1]: differences [1, -1]:
//   loss = mean(log(1 + e^-1), log(1 + e^1))
//        = mean(0.31326168751822286, 1.3132616875182228) = 0.8132616875182228
//   accuracy 1/2, margin 0.
TEST(BradleyTerryTest, ByHand) {
  RewardModelLossResult out = computeBradleyTerryLoss(vec({2, 0}), vec({1, 1}));
  EXPECT_NEAR(value(out.loss), 0.8132616875182228, 1e-12);
  EXPECT_NEAR(value(out.accuracy), 0.5, 1e-12);
  EXPECT_NEAR(value(out.margin), 0.0, 1e-12);
  MetricMap metrics = out.metrics();
  EXPECT_NEAR(metrics.at("rm/loss"), 0.8132616875182228, 1e-12);
  EXPECT_NEAR(metrics.at("rm/accuracy"), 0.5, 1e-12);
  // Large margins stay finite: -log sigmoid(-1000) = 1000.
  EXPECT_NEAR(value(computeBradleyTerryLoss(vec({0}), vec({1000})).loss),
              1000.0, 1e-9);
}

TEST(BradleyTerryTest, Errors) {
  expectInvalid(
      [] {
        computeBradleyTerryLoss(vec({1, 2}), vec({1}));
      },
      {"computeBradleyTerryLoss", "rejectedRewards", "[1]", "chosenRewards",
       "[2]"});
}

} // namespace
