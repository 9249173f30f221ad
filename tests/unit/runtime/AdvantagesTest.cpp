// Unit tests for the advantage estimators and masked helpers, by hand.
#include "rlg/Runtime/Algorithms/Advantages.h"

#include "TensorTestSupport.h"

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

// Two responses, T = 3: the first has 3 real tokens, the second 2 and one
// padding position.
at::Tensor paddedMask() { return mat({{1, 1, 1}, {1, 1, 0}}); }

// ---- Masked helpers ---------------------------------------------------------

// values [[1, 2, 3], [4, 99, pad]] with mask [[1,1,1],[1,0,0]]:
// real tokens 1, 2, 3, 4: sum 10, mean 2.5;
// unbiased variance ((1.5^2 + 0.5^2) * 2) / 3 = 5/3;
// whitened (x - 2.5) / sqrt(5/3 + 1e-8) = [-1.16189500037654,
// -0.38729833345885, 0.38729833345885, 1.16189500037654].
TEST(MaskedTest, MeanVarianceWhitenByHand) {
  at::Tensor v = mat({{1, 2, 3}, {4, 99, -7}});
  at::Tensor m = mat({{1, 1, 1}, {1, 0, 0}});
  EXPECT_NEAR(value(maskedSum(v, m)), 10.0, 1e-12);
  EXPECT_NEAR(value(maskedMean(v, m)), 2.5, 1e-12);
  EXPECT_NEAR(value(maskedVariance(v, m)), 5.0 / 3.0, 1e-12);
  expectNear(
      whitenMasked(v, m),
      mat({{-1.1618950003765403, -0.38729833345884673, 0.38729833345884673},
           {1.1618950003765403, 0, 0}}),
      1e-9);
  // Without shifting the mean, 2.5 is added back at real tokens.
  expectNear(whitenMasked(v, m, /*shiftMean=*/false),
             mat({{2.5 - 1.1618950003765403, 2.5 - 0.38729833345884673,
                   2.5 + 0.38729833345884673},
                  {2.5 + 1.1618950003765403, 0, 0}}),
             1e-9);
}

TEST(MaskedTest, BoolMaskAndEmptyMean) {
  at::Tensor v = mat({{1, 2}, {3, 4}});
  at::Tensor m = mat({{1, 0}, {0, 1}}).to(at::kBool);
  EXPECT_NEAR(value(maskedMean(v, m)), 2.5, 1e-12);
  EXPECT_NEAR(value(maskedMean(v, at::zeros_like(v))), 0.0, 0);
}

TEST(MaskedTest, WhitenNeedsTwoRealTokens) {
  at::Tensor v = mat({{1, 2}, {3, 4}});
  expectInvalid(
      [&] {
        whitenMasked(v, mat({{1, 0}, {0, 0}}));
      },
      {"whitenMasked", "at least 2 real tokens"});
  expectInvalid(
      [&] {
        maskedVariance(v, mat({{0, 0}, {0, 0}}));
      },
      {"maskedVariance", "at least 2"});
}

TEST(MaskedTest, BroadcastToTokens) {
  // [2, -1] over mask [[1,1,1],[1,1,0]] -> [[2,2,2],[-1,-1,0]].
  expectNear(broadcastToTokens(vec({2, -1}), paddedMask()),
             mat({{2, 2, 2}, {-1, -1, 0}}), 0);
  expectNear(tokenCounts(paddedMask()), vec({3, 2}), 0);
}

TEST(MaskedTest, ShapeErrors) {
  expectInvalid(
      [] {
        maskedMean(mat({{1, 2, 3}}), mat({{1, 1}}));
      },
      {"maskedMean", "mask", "[1, 2]", "values", "[1, 3]"});
  expectInvalid(
      [] {
        broadcastToTokens(vec({1, 2, 3}), paddedMask());
      },
      {"broadcastToTokens", "mask", "N = 3", "[2, 3]"});
  expectInvalid([] { broadcastToTokens(mat({{1}}), paddedMask()); },
                {"seqValues", "1-D", "[1, 1]"});
  expectInvalid(
      [] {
        maskedMean(mat({{1, 2}}), at::ones({1, 2}, at::kLong));
      },
      {"mask", "float or bool"});
}

// ---- Token rewards ----------------------------------------------------------

// Scores [2, 3] land on the last real token: row 0 at t = 2, row 1 at t = 1.
// A mask with a hole, [1, 0, 1, 0], puts the score at t = 2; an empty row
// gets nothing.
TEST(TokenRewardsTest, PlaceOnLastToken) {
  expectNear(placeOnLastToken(vec({2, 3}), paddedMask()),
             mat({{0, 0, 2}, {0, 3, 0}}), 0);
  expectNear(placeOnLastToken(vec({5, 7}), mat({{1, 0, 1, 0}, {0, 0, 0, 0}})),
             mat({{0, 0, 5, 0}, {0, 0, 0, 0}}), 0);
}

// r_kl = score - 0.1 * kl with kl = [[1, 2, 3], [4, 5, 6(pad)]], scores
// [1, 0]: tokens pay -0.1, -0.2, -0.3 + 1 and -0.4, -0.5 + 0; padding 0.
TEST(TokenRewardsTest, CombineSequenceScoreAndTokenTerms) {
  at::Tensor kl = mat({{1, 2, 3}, {4, 5, 6}});
  expectNear(combineTokenRewards(vec({1, 0}), -0.1 * kl, paddedMask()),
             mat({{-0.1, -0.2, 0.7}, {-0.4, -0.5, 0}}), 1e-12);
  expectNear(combineTokenRewards(vec({1, 0}), at::Tensor(), paddedMask()),
             mat({{0, 0, 1}, {0, 0, 0}}), 0);
  expectInvalid(
      [&] {
        combineTokenRewards(vec({1, 0}), mat({{1, 2}, {3, 4}}), paddedMask());
      },
      {"combineTokenRewards", "mask", "[2, 3]", "tokenTerms", "[2, 2]"});
  expectInvalid(
      [] {
        placeOnLastToken(vec({1}), mat({{1, 1}, {1, 1}}));
      },
      {"placeOnLastToken", "N = 1", "[2, 2]"});
}

// ---- GAE --------------------------------------------------------------------

// gamma = 0.5, lam = 0.5 (gamma * lam = 0.25).
// Row 0: r = [0, 0, 1], V = [0.5, 0.25, 0.5], all real.
//   t=2: delta = 1 + 0 - 0.5 = 0.5;                A2 = 0.5
//   t=1: delta = 0 + 0.5*0.5 - 0.25 = 0;           A1 = 0 + 0.25*0.5 = 0.125
//   t=0: delta = 0 + 0.5*0.25 - 0.5 = -0.375;      A0 = -0.375 + 0.25*0.125
//                                                     = -0.34375
//   returns = A + V = [0.15625, 0.375, 1.0]
// Row 1: r = [0, 2, 7(pad)], V = [1, 1, 5(pad)], mask [1, 1, 0]:
//   t=2 is padding: skipped, the row ends at t=1.
//   t=1: delta = 2 + 0 - 1 = 1;                    A1 = 1
//   t=0: delta = 0 + 0.5*1 - 1 = -0.5;             A0 = -0.5 + 0.25*1 = -0.25
//   returns = [0.75, 2, 0]
TEST(GaeTest, TwoRowsWithPaddingByHand) {
  at::Tensor r = mat({{0, 0, 1}, {0, 2, 7}});
  at::Tensor v = mat({{0.5, 0.25, 0.5}, {1, 1, 5}});
  AdvantageResult out = computeGaeAdvantages(r, v, paddedMask(), 0.5, 0.5);
  expectNear(out.advantages, mat({{-0.34375, 0.125, 0.5}, {-0.25, 1, 0}}),
             1e-12);
  expectNear(out.returns, mat({{0.15625, 0.375, 1.0}, {0.75, 2, 0}}), 1e-12);
}

// gamma = lam = 1 is Monte Carlo: A_t = (sum of rewards from t) - V_t.
// r = [1, 0, 2], V = [0.5, 1, 3]: returns-to-go [3, 2, 2], A = [2.5, 1, -1].
// With lam = 0 it is the one-step TD error: delta = [1 + 1 - 0.5, 0 + 3 - 1,
// 2 - 3] = [1.5, 2, -1].
TEST(GaeTest, MonteCarloAndTdLimits) {
  at::Tensor r = mat({{1, 0, 2}});
  at::Tensor v = mat({{0.5, 1, 3}});
  at::Tensor m = mat({{1, 1, 1}});
  expectNear(computeGaeAdvantages(r, v, m, 1.0, 1.0).advantages,
             mat({{2.5, 1, -1}}), 1e-12);
  expectNear(computeGaeAdvantages(r, v, m, 1.0, 1.0).returns, mat({{3, 2, 2}}),
             1e-12);
  expectNear(computeGaeAdvantages(r, v, m, 1.0, 0.0).advantages,
             mat({{1.5, 2, -1}}), 1e-12);
}

// A hole in the mask (e.g. a tool observation) is skipped: with r = [0, 9,
// 1], V = [1, 9, 2], mask [1, 0, 1], gamma = lam = 1:
//   t=2: A = 1 - 2 = -1;  t=0: delta = 0 + V2 - V0 = 1, A = 1 + (-1) = 0.
TEST(GaeTest, HoleInMaskIsSkipped) {
  AdvantageResult out = computeGaeAdvantages(mat({{0, 9, 1}}), mat({{1, 9, 2}}),
                                             mat({{1, 0, 1}}), 1.0, 1.0);
  expectNear(out.advantages, mat({{0, 0, -1}}), 1e-12);
  expectNear(out.returns, mat({{1, 0, 1}}), 1e-12);
}

TEST(GaeTest, Errors) {
  at::Tensor r = mat({{0, 0, 1}, {0, 2, 7}});
  expectInvalid(
      [&] {
        computeGaeAdvantages(r, mat({{1, 1}, {1, 1}}), paddedMask(), 1, 1);
      },
      {"computeGaeAdvantages", "values", "[2, 2]", "tokenRewards", "[2, 3]"});
  expectInvalid(
      [&] {
        computeGaeAdvantages(r, r, mat({{1, 1, 1}}), 1, 1);
      },
      {"mask", "[1, 3]", "[2, 3]"});
  expectInvalid(
      [&] {
        computeGaeAdvantages(vec({1, 2}), r, r, 1, 1);
      },
      {"tokenRewards", "2-D", "[2]"});
  expectInvalid([&] { computeGaeAdvantages(r, r, paddedMask(), 1.5, 1); },
                {"gamma", "1.5"});
  expectInvalid([&] { computeGaeAdvantages(r, r, paddedMask(), 1, -0.1); },
                {"lam"});
}

// ---- GRPO -------------------------------------------------------------------

// 2 prompts x 2 samples, r = [1, 0, 0.5, 0.5].
// Group 0: mean 0.5, unbiased std sqrt((0.25 + 0.25) / 1) = 0.70710678...;
//   adv = +-0.5 / (0.7071067811865476 + 1e-6) = +-0.7071057811879616.
// Group 1: all equal: adv 0.
// Without std normalisation: [0.5, -0.5, 0, 0].
TEST(GrpoTest, TwoByTwoByHand) {
  at::Tensor r = vec({1, 0, 0.5, 0.5});
  expectNear(computeGrpoAdvantages(r, 2),
             vec({0.7071057811879616, -0.7071057811879616, 0, 0}), 1e-12);
  expectNear(computeGrpoAdvantages(r, 2, /*stdNormalize=*/false),
             vec({0.5, -0.5, 0, 0}), 1e-12);
}

// n = 3, r = [1, 2, 3]: mean 2, unbiased variance (1 + 0 + 1) / 2 = 1, so
// adv = [-1, 0, 1] / (1 + eps); with eps = 0 exactly [-1, 0, 1].
TEST(GrpoTest, UnbiasedStdWithThreeSamples) {
  expectNear(computeGrpoAdvantages(vec({1, 2, 3}), 3, true, 0.0),
             vec({-1, 0, 1}), 1e-12);
  expectNear(computeGrpoAdvantages(vec({1, 2, 3}), 3, true, 1e-6),
             vec({-0.9999990000010001, 0, 0.9999990000010001}), 1e-12);
}

TEST(GrpoTest, Errors) {
  expectInvalid(
      [] {
        computeGrpoAdvantages(vec({1, 2, 3}), 2);
      },
      {"computeGrpoAdvantages", "n = 2", "N = 3"});
  expectInvalid(
      [] {
        computeGrpoAdvantages(vec({1, 2}), 1);
      },
      {"n = 1", "at least 2"});
  expectInvalid(
      [] {
        computeGrpoAdvantages(mat({{1, 2}}), 2);
      },
      {"seqRewards", "1-D", "[1, 2]"});
  expectInvalid(
      [] {
        computeGrpoAdvantages(vec({1, 2}), 2, true, -1);
      },
      {"eps"});
}

// ---- RLOO -------------------------------------------------------------------

// r = [1, 0, 0.5, 0.5], n = 2: the other sample is the baseline:
//   [1 - 0, 0 - 1, 0.5 - 0.5, 0.5 - 0.5] = [1, -1, 0, 0].
// r = [1, 2, 6], n = 3: baselines (2+6)/2 = 4, (1+6)/2 = 3.5, (1+2)/2 = 1.5:
//   [-3, -1.5, 4.5].
TEST(RlooTest, LeaveOneOutByHand) {
  expectNear(computeRlooAdvantages(vec({1, 0, 0.5, 0.5}), 2),
             vec({1, -1, 0, 0}), 1e-12);
  expectNear(computeRlooAdvantages(vec({1, 2, 6}), 3), vec({-3, -1.5, 4.5}),
             1e-12);
}

TEST(RlooTest, Errors) {
  expectInvalid(
      [] {
        computeRlooAdvantages(vec({1, 2}), 1);
      },
      {"computeRlooAdvantages", "at least 2"});
  expectInvalid(
      [] {
        computeRlooAdvantages(vec({1, 2, 3, 4}), 3);
      },
      {"n = 3", "N = 4"});
}

// ---- REINFORCE++ ------------------------------------------------------------

// gamma = 0.5. Row 0: r = [0, 0, 1], all real: G = [0.25, 0.5, 1].
// Row 1: r = [0, 2, 9(pad)], mask [1, 1, 0]: G = [1, 2, 0].
// Real returns 0.25, 0.5, 1, 1, 2: mean 0.95; deviations -0.7, -0.45, 0.05,
// 0.05, 1.05; squares sum 0.49 + 0.2025 + 0.0025 + 0.0025 + 1.1025 = 1.8;
// unbiased variance 1.8 / 4 = 0.45; advantages = dev / sqrt(0.45 + 1e-8).
TEST(ReinforcePlusPlusTest, DiscountedAndWhitenedByHand) {
  AdvantageResult out = computeReinforcePlusPlusAdvantages(
      mat({{0, 0, 1}, {0, 2, 9}}), paddedMask(), 0.5);
  expectNear(out.returns, mat({{0.25, 0.5, 1}, {1, 2, 0}}), 1e-12);
  expectNear(
      out.advantages,
      mat({{-1.0434983779054754, -0.6708203857963771, 0.07453559842181968},
           {0.07453559842181968, 1.5652475668582133, 0}}),
      1e-9);
  // Whitened: mean 0 and unbiased variance ~1 over the real tokens.
  EXPECT_NEAR(value(maskedMean(out.advantages, paddedMask())), 0.0, 1e-12);
  EXPECT_NEAR(value(maskedVariance(out.advantages, paddedMask())), 1.0, 1e-7);
}

TEST(ReinforcePlusPlusTest, Errors) {
  expectInvalid(
      [] {
        computeReinforcePlusPlusAdvantages(mat({{1, 2}}), mat({{1, 0}}), 1);
      },
      {"computeReinforcePlusPlusAdvantages", "at least 2 real tokens"});
  expectInvalid(
      [] {
        computeReinforcePlusPlusAdvantages(mat({{1, 2}}), mat({{1, 1, 1}}), 1);
      },
      {"mask", "[1, 3]", "tokenRewards", "[1, 2]"});
  expectInvalid(
      [] {
        computeReinforcePlusPlusAdvantages(mat({{1, 2}}), mat({{1, 1}}), 2);
      },
      {"gamma"});
}

// ---- ReMax ------------------------------------------------------------------

// r = [1, 0, 0.5, 1] (2 prompts x 2), greedy baselines [0.5, 1]:
//   [1 - 0.5, 0 - 0.5, 0.5 - 1, 1 - 1] = [0.5, -0.5, -0.5, 0].
TEST(RemaxTest, GreedyBaselineByHand) {
  expectNear(computeRemaxAdvantages(vec({1, 0, 0.5, 1}), vec({0.5, 1})),
             vec({0.5, -0.5, -0.5, 0}), 1e-12);
  // One sample per prompt also works: n = 1.
  expectNear(computeRemaxAdvantages(vec({1, 0}), vec({0.25, 0.25})),
             vec({0.75, -0.25}), 1e-12);
}

TEST(RemaxTest, Errors) {
  expectInvalid(
      [] {
        computeRemaxAdvantages(vec({1, 0, 1}), vec({0.5, 1}));
      },
      {"computeRemaxAdvantages", "baselineRewards", "[2]", "seqRewards",
       "[3]"});
  expectInvalid(
      [] {
        computeRemaxAdvantages(vec({1, 0}), mat({{1}}));
      },
      {"baselineRewards", "1-D", "[1, 1]"});
}

} // namespace

namespace {

// float32 inputs give float32 results; a float32 or bool mask works with
// float64 values (it is converted to the values' dtype).
TEST(DtypeTest, Float32AndMixedMasks) {
  at::Tensor r = vec({1, 0, 0.5, 0.5}).to(at::kFloat);
  at::Tensor adv = computeGrpoAdvantages(r, 2, false);
  EXPECT_EQ(adv.scalar_type(), at::kFloat);
  expectNear(adv, vec({0.5, -0.5, 0, 0}), 1e-7);

  at::Tensor rewards = mat({{0, 0, 1}, {0, 2, 7}});
  at::Tensor values = mat({{0.5, 0.25, 0.5}, {1, 1, 5}});
  at::Tensor expected = mat({{-0.34375, 0.125, 0.5}, {-0.25, 1, 0}});
  expectNear(computeGaeAdvantages(rewards, values, paddedMask().to(at::kFloat),
                                  0.5, 0.5)
                 .advantages,
             expected, 1e-12);
  expectNear(computeGaeAdvantages(rewards, values, paddedMask().to(at::kBool),
                                  0.5, 0.5)
                 .advantages,
             expected, 1e-12);
}

} // namespace
