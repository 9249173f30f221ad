// Per-token KL estimators (k1, k2, k3) and the KL-coefficient controllers.
//
// Tensor conventions: see Masked.h. With d = logProbs - refLogProbs, the
// estimators of KL(policy || reference) at a token sampled from the policy
// are (Schulman, "Approximating KL divergence", 2020):
//   k1 = d,   k2 = d^2 / 2,   k3 = exp(-d) - 1 + d.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>
#include <string_view>

namespace rlg::runtime {

enum class KlEstimator { K1, K2, K3 };

/// "k1", "k2" or "k3"; throws std::invalid_argument for anything else.
KlEstimator parseKlEstimator(std::string_view name);
const char *klEstimatorName(KlEstimator estimator);

/// Elementwise estimates from two log-prob tensors of the same shape
/// (usually [N, T]); no mask is applied: aggregate with one.
at::Tensor computeKlK1(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs);
at::Tensor computeKlK2(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs);
at::Tensor computeKlK3(const at::Tensor &logProbs,
                       const at::Tensor &refLogProbs);
at::Tensor computeKl(KlEstimator estimator, const at::Tensor &logProbs,
                     const at::Tensor &refLogProbs);

/// The coefficient beta of a KL penalty, updated once per training step
/// from the KL measured in that step.
class KlController {
public:
  virtual ~KlController();
  double value() const { return coef; }
  /// `currentKl`: the measured KL of the step; `nSteps`: how many samples
  /// (or steps) it covers. Throws for a non-finite KL or negative nSteps.
  virtual void update(double currentKl, int64_t nSteps) = 0;

protected:
  explicit KlController(double initCoef);
  double coef;
};

/// A constant coefficient; update() checks its arguments and does nothing.
class FixedKlController final : public KlController {
public:
  explicit FixedKlController(double coef);
  void update(double currentKl, int64_t nSteps) override;
};

/// The adaptive controller of Ziegler et al. 2019 ("Fine-Tuning Language
/// Models from Human Preferences"), used by InstructGPT, TRL and verl:
///   e = clip(currentKl / targetKl - 1, -0.2, 0.2)
///   coef *= 1 + e * nSteps / horizon
class AdaptiveKlController final : public KlController {
public:
  AdaptiveKlController(double initCoef, double targetKl, double horizon);
  void update(double currentKl, int64_t nSteps) override;
  double target() const { return targetKl; }
  double horizonSteps() const { return horizon; }

private:
  double targetKl;
  double horizon;
};

} // namespace rlg::runtime
