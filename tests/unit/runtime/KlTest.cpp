// Unit tests for the k1/k2/k3 KL estimators and the KL-coefficient controllers.
#include "rlg/Runtime/Algorithms/KlEstimators.h"

#include "TensorTestSupport.h"

#include <cmath>
#include <limits>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

// lp = [[-1, -2, -0.5]], ref = [[-2, -1, -0.5]]  =>  d = lp - ref = [1, -1, 0]
//   k1 = d                 = [1, -1, 0]
//   k2 = d^2 / 2           = [0.5, 0.5, 0]
//   k3 = exp(-d) - 1 + d   = [e^-1 = 0.36787944117144233,
//                             e^1 - 2 = 0.7182818284590451, 0]
TEST(KlTest, EstimatorsByHand) {
  at::Tensor lp = mat({{-1, -2, -0.5}});
  at::Tensor ref = mat({{-2, -1, -0.5}});
  expectNear(computeKlK1(lp, ref), mat({{1, -1, 0}}), 1e-12);
  expectNear(computeKlK2(lp, ref), mat({{0.5, 0.5, 0}}), 1e-12);
  expectNear(computeKlK3(lp, ref),
             mat({{0.36787944117144233, 0.7182818284590451, 0}}), 1e-12);
}

TEST(KlTest, DispatchByName) {
  at::Tensor lp = vec({-1, -2});
  at::Tensor ref = vec({-2, -1});
  for (const char *name : {"k1", "k2", "k3"}) {
    KlEstimator e = parseKlEstimator(name);
    EXPECT_STREQ(klEstimatorName(e), name);
  }
  expectNear(computeKl(KlEstimator::K2, lp, ref), vec({0.5, 0.5}), 1e-12);
  expectNear(computeKl(KlEstimator::K3, lp, ref), computeKlK3(lp, ref), 0);
  expectInvalid([] { parseKlEstimator("k4"); }, {"k4", "k1, k2 or k3"});
}

// k3 = exp(-d) - 1 + d ~ d^2 / 2 for small d: with d = 1e-6 it is 5e-13,
// which a naive exp(-d) - 1 in float64 would get only to ~1e-16 absolute.
TEST(KlTest, K3IsAccurateForTinyDifferences) {
  at::Tensor lp = vec({1e-6});
  at::Tensor ref = vec({0});
  EXPECT_NEAR(value(computeKlK3(lp, ref)), 5e-13, 1e-18);
  // k3 >= 0 everywhere.
  at::Tensor d = at::linspace(-5, 5, 101, at::kDouble);
  EXPECT_GE(value(computeKlK3(d, at::zeros_like(d)).min()), 0.0);
}

TEST(KlTest, K3GradientIsOneMinusExpMinusD) {
  // d k3 / d lp = 1 - exp(-d): at d = 1, 1 - e^-1 = 0.6321205588285577.
  at::Tensor lp = vec({-1});
  lp.set_requires_grad(true);
  computeKlK3(lp, vec({-2})).sum().backward();
  EXPECT_NEAR(value(lp.grad()), 0.6321205588285577, 1e-12);
}

TEST(KlTest, ShapeMismatchNamesBothArguments) {
  expectInvalid(
      [] {
        computeKlK1(mat({{0, 0, 0}}), mat({{0, 0}}));
      },
      {"computeKlK1", "refLogProbs", "[1, 2]", "logProbs", "[1, 3]"});
  expectInvalid([] { computeKlK3(vec({0}), at::Tensor()); },
                {"refLogProbs", "undefined"});
  expectInvalid(
      [] {
        computeKlK2(at::zeros({2}, at::kLong), vec({0, 0}));
      },
      {"logProbs", "floating-point", "Long", "[2]"});
}

// Fixed: the coefficient never moves.
TEST(KlTest, FixedControllerKeepsItsValue) {
  FixedKlController c(0.05);
  c.update(100.0, 1000);
  EXPECT_DOUBLE_EQ(c.value(), 0.05);
  expectInvalid([] { FixedKlController(-1.0); }, {"coef"});
  expectInvalid([&] { c.update(std::nan(""), 1); }, {"currentKl"});
}

// init 0.1, target 6, horizon 10000:
//  update(9, 256): e = clip(9/6 - 1 = 0.5) = 0.2,  mult = 1 + 0.2*256/1e4
//                  = 1.00512 -> 0.100512
//  update(3, 256): e = clip(-0.5) = -0.2, mult = 0.99488
//                  -> 0.100512 * 0.99488 = 0.09999737856
//  update(6.6, 100): e = 0.1, mult = 1 + 0.1*100/1e4 = 1.001
//                  -> 0.09999737856 * 1.001 = 0.10009737593856
//  update(6, 500): e = 0 -> unchanged
TEST(KlTest, AdaptiveControllerByHand) {
  AdaptiveKlController c(0.1, 6.0, 10000.0);
  c.update(9.0, 256);
  EXPECT_NEAR(c.value(), 0.100512, 1e-15);
  c.update(3.0, 256);
  EXPECT_NEAR(c.value(), 0.09999737856, 1e-15);
  c.update(6.6, 100);
  EXPECT_NEAR(c.value(), 0.10009737593856, 1e-15);
  c.update(6.0, 500);
  EXPECT_NEAR(c.value(), 0.10009737593856, 1e-15);
  c.update(100.0, 0); // no steps, no change
  EXPECT_NEAR(c.value(), 0.10009737593856, 1e-15);
}

TEST(KlTest, AdaptiveControllerRejectsBadSettings) {
  expectInvalid([] { AdaptiveKlController(0.1, 0.0, 100.0); }, {"targetKl"});
  expectInvalid([] { AdaptiveKlController(0.1, 6.0, -1.0); }, {"horizon"});
  expectInvalid([] { AdaptiveKlController(-0.1, 6.0, 100.0); }, {"initCoef"});
  AdaptiveKlController c(0.1, 6.0, 100.0);
  expectInvalid([&] { c.update(1.0, -5); }, {"nSteps", "-5"});
  expectInvalid([&] { c.update(std::numeric_limits<double>::infinity(), 1); },
                {"currentKl"});
}

} // namespace
