// Per-token KL estimators (k1, k2, k3) and the KL-coefficient controllers.
#include "rlg/Runtime/Algorithms/KlEstimators.h"

#include "Checks.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace rlg::runtime {
using namespace detail;

KlEstimator parseKlEstimator(std::string_view name) {
  if (name == "k1")
    return KlEstimator::K1;
  if (name == "k2")
    return KlEstimator::K2;
  if (name == "k3")
    return KlEstimator::K3;
  fail("parseKlEstimator", "unknown KL estimator '" + std::string(name) +
                               "'; expected k1, k2 or k3");
}

const char *klEstimatorName(KlEstimator estimator) {
  switch (estimator) {
  case KlEstimator::K1:
    return "k1";
  case KlEstimator::K2:
    return "k2";
  case KlEstimator::K3:
    return "k3";
  }
  return "?";
}

namespace {
at::Tensor logRatio(const char *fn, const at::Tensor &logProbs,
                    const at::Tensor &refLogProbs) {
  checkFloating(fn, "logProbs", logProbs);
  checkFloating(fn, "refLogProbs", refLogProbs);
  checkSameShape(fn, "logProbs", logProbs, "refLogProbs", refLogProbs);
  return logProbs - refLogProbs;
}
} // namespace

at::Tensor computeKlK1(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs) {
  return logRatio("computeKlK1", logProbs, refLogProbs);
}

at::Tensor computeKlK2(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs) {
  at::Tensor d = logRatio("computeKlK2", logProbs, refLogProbs);
  return 0.5 * d * d;
}

at::Tensor computeKlK3(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs) {
  at::Tensor d = logRatio("computeKlK3", logProbs, refLogProbs);
  // exp(-d) - 1 computed as expm1 keeps precision for small |d|.
  return at::expm1(-d) + d;
}

at::Tensor computeKl(KlEstimator estimator, const at::Tensor &logProbs,
                     const at::Tensor &refLogProbs) {
  switch (estimator) {
  case KlEstimator::K1:
    return computeKlK1(logProbs, refLogProbs);
  case KlEstimator::K2:
    return computeKlK2(logProbs, refLogProbs);
  case KlEstimator::K3:
    return computeKlK3(logProbs, refLogProbs);
  }
  fail("computeKl", "unknown KL estimator");
}

KlController::KlController(double initCoef) : coef(initCoef) {}
KlController::~KlController() = default;

namespace {
void checkUpdate(const char *fn, double currentKl, int64_t nSteps) {
  if (!std::isfinite(currentKl))
    fail(fn, "currentKl = " + std::to_string(currentKl) + " must be finite");
  if (nSteps < 0)
    fail(fn, "nSteps = " + std::to_string(nSteps) + " must be >= 0");
}
} // namespace

FixedKlController::FixedKlController(double coef) : KlController(coef) {
  checkAtLeast("FixedKlController", "coef", coef, 0.0);
}

void FixedKlController::update(double currentKl, int64_t nSteps) {
  checkUpdate("FixedKlController::update", currentKl, nSteps);
}

AdaptiveKlController::AdaptiveKlController(double initCoef, double targetKl,
                                           double horizon)
    : KlController(initCoef), targetKl(targetKl), horizon(horizon) {
  checkAtLeast("AdaptiveKlController", "initCoef", initCoef, 0.0);
  checkGreater("AdaptiveKlController", "targetKl", targetKl, 0.0);
  checkGreater("AdaptiveKlController", "horizon", horizon, 0.0);
}

void AdaptiveKlController::update(double currentKl, int64_t nSteps) {
  checkUpdate("AdaptiveKlController::update", currentKl, nSteps);
  double error = std::clamp(currentKl / targetKl - 1.0, -0.2, 0.2);
  coef *= 1.0 + error * static_cast<double>(nSteps) / horizon;
}

} // namespace rlg::runtime
