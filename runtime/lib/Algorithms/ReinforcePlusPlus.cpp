// REINFORCE++: discounted returns whitened over all real tokens of the batch.
#include "rlg/Runtime/Algorithms/Advantages.h"
#include "rlg/Runtime/Algorithms/Metrics.h"

#include "Checks.h"

#include <vector>

namespace rlg::runtime {
using namespace detail;

AdvantageResult
computeReinforcePlusPlusAdvantages(const at::Tensor &tokenRewards,
                                   const at::Tensor &mask, double gamma) {
  const char *fn = "computeReinforcePlusPlusAdvantages";
  checkRank(fn, "tokenRewards", tokenRewards, 2, "[N, T]");
  at::Tensor m = checkMask(fn, "mask", mask, "tokenRewards", tokenRewards);
  checkInRange(fn, "gamma", gamma, 0.0, 1.0);
  if (scalarValue(m.sum()) < 2.0)
    fail(fn, "whitening needs at least 2 real tokens in mask (shape " +
                 shapeString(m) + ")");

  int64_t n = tokenRewards.size(0), t = tokenRewards.size(1);
  at::Tensor running = at::zeros({n}, tokenRewards.options());
  std::vector<at::Tensor> returns(static_cast<size_t>(t));
  for (int64_t i = t - 1; i >= 0; --i) {
    at::Tensor real = m.select(1, i);
    // A padding token resets the running return (verl: "reset after EOS").
    running = (tokenRewards.select(1, i) + gamma * running) * real;
    returns[static_cast<size_t>(i)] = running;
  }
  AdvantageResult result;
  result.returns = at::stack(returns, 1);
  result.advantages = whitenMasked(result.returns, m);
  return result;
}

} // namespace rlg::runtime
