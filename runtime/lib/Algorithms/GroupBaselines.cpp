// Group-baseline advantages: GRPO, RLOO and ReMax.
#include "rlg/Runtime/Algorithms/Advantages.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

at::Tensor computeGrpoAdvantages(const at::Tensor &seqRewards,
                                 int64_t groupSize, bool stdNormalize,
                                 double eps) {
  const char *fn = "computeGrpoAdvantages";
  checkRank(fn, "seqRewards", seqRewards, 1, "[N]");
  checkGroupSize(fn, seqRewards.size(0), groupSize, 2);
  checkAtLeast(fn, "eps", eps, 0.0);
  int64_t groups = seqRewards.size(0) / groupSize;
  at::Tensor r = seqRewards.reshape({groups, groupSize});
  at::Tensor centered = r - r.sum(1, true) / static_cast<double>(groupSize);
  if (stdNormalize) {
    at::Tensor stdDev = at::sqrt((centered * centered).sum(1, true) /
                                 static_cast<double>(groupSize - 1));
    centered = centered / (stdDev + eps);
  }
  return centered.reshape({seqRewards.size(0)});
}

at::Tensor computeRlooAdvantages(const at::Tensor &seqRewards,
                                 int64_t groupSize) {
  const char *fn = "computeRlooAdvantages";
  checkRank(fn, "seqRewards", seqRewards, 1, "[N]");
  checkGroupSize(fn, seqRewards.size(0), groupSize, 2);
  int64_t groups = seqRewards.size(0) / groupSize;
  at::Tensor r = seqRewards.reshape({groups, groupSize});
  at::Tensor others = (r.sum(1, true) - r) / static_cast<double>(groupSize - 1);
  return (r - others).reshape({seqRewards.size(0)});
}

at::Tensor computeRemaxAdvantages(const at::Tensor &seqRewards,
                                  const at::Tensor &baselineRewards) {
  const char *fn = "computeRemaxAdvantages";
  checkRank(fn, "seqRewards", seqRewards, 1, "[N]");
  checkRank(fn, "baselineRewards", baselineRewards, 1, "[B]");
  int64_t n = seqRewards.size(0), b = baselineRewards.size(0);
  if (b < 1 || n % b != 0)
    fail(fn, "baselineRewards has shape " + shapeString(baselineRewards) +
                 " but seqRewards has shape " + shapeString(seqRewards) +
                 "; N must be a multiple B*n of B >= 1");
  if (seqRewards.device() != baselineRewards.device())
    fail(fn, "baselineRewards is on " + baselineRewards.device().str() +
                 " but seqRewards is on " + seqRewards.device().str());
  at::Tensor r = seqRewards.reshape({b, n / b});
  return (r - baselineRewards.unsqueeze(1)).reshape({n});
}

} // namespace rlg::runtime
