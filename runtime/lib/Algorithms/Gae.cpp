// Generalised advantage estimation over the real tokens of padded rows.
#include "rlg/Runtime/Algorithms/Advantages.h"

#include "Checks.h"

#include <vector>

namespace rlg::runtime {
using namespace detail;

AdvantageResult computeGaeAdvantages(const at::Tensor &tokenRewards,
                                     const at::Tensor &values,
                                     const at::Tensor &mask, double gamma,
                                     double lam) {
  const char *fn = "computeGaeAdvantages";
  checkRank(fn, "tokenRewards", tokenRewards, 2, "[N, T]");
  checkRank(fn, "values", values, 2, "[N, T]");
  checkSameShape(fn, "tokenRewards", tokenRewards, "values", values);
  at::Tensor m = checkMask(fn, "mask", mask, "values", values);
  checkInRange(fn, "gamma", gamma, 0.0, 1.0);
  checkInRange(fn, "lam", lam, 0.0, 1.0);

  int64_t n = values.size(0), t = values.size(1);
  at::Tensor nextValue = at::zeros({n}, values.options());
  at::Tensor lastGae = at::zeros({n}, values.options());
  std::vector<at::Tensor> advantages(static_cast<size_t>(t));
  for (int64_t i = t - 1; i >= 0; --i) {
    at::Tensor r = tokenRewards.select(1, i);
    at::Tensor v = values.select(1, i);
    at::Tensor real = m.select(1, i);
    at::Tensor delta = r + gamma * nextValue - v;
    at::Tensor gae = delta + gamma * lam * lastGae;
    // A padding token leaves the running value and advantage untouched, so
    // the next real token to the left sees the last real one to its right.
    nextValue = v * real + (1.0 - real) * nextValue;
    lastGae = gae * real + (1.0 - real) * lastGae;
    advantages[static_cast<size_t>(i)] = lastGae;
  }
  AdvantageResult result;
  if (t == 0) {
    result.advantages = at::zeros_like(values);
  } else {
    result.advantages = at::stack(advantages, 1) * m;
  }
  result.returns = (result.advantages + values) * m;
  return result;
}

} // namespace rlg::runtime
