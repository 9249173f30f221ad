// Masked reductions over padded token batches: mean, whitening, broadcast.
#include "rlg/Runtime/Algorithms/Masked.h"
#include "rlg/Runtime/Algorithms/Metrics.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

at::Tensor maskedSum(const at::Tensor &values, const at::Tensor &mask) {
  checkFloating("maskedSum", "values", values);
  at::Tensor m = checkMask("maskedSum", "mask", mask, "values", values);
  return (values * m).sum();
}

at::Tensor maskedMean(const at::Tensor &values, const at::Tensor &mask) {
  checkFloating("maskedMean", "values", values);
  at::Tensor m = checkMask("maskedMean", "mask", mask, "values", values);
  return (values * m).sum() / m.sum().clamp_min(1.0);
}

namespace {
// The unbiased masked variance; `fn` names the public caller in errors.
at::Tensor unbiasedVariance(const char *fn, const at::Tensor &values,
                            const at::Tensor &m) {
  at::Tensor count = m.sum();
  double n = scalarValue(count);
  if (n < 2.0)
    fail(fn, "needs at least 2 real tokens in mask (shape " + shapeString(m) +
                 "), got " + std::to_string(n));
  at::Tensor mean = (values * m).sum() / count;
  at::Tensor centered = (values - mean) * m;
  return (centered * centered).sum() / (count - 1.0);
}
} // namespace

at::Tensor maskedVariance(const at::Tensor &values, const at::Tensor &mask) {
  checkFloating("maskedVariance", "values", values);
  at::Tensor m = checkMask("maskedVariance", "mask", mask, "values", values);
  return unbiasedVariance("maskedVariance", values, m);
}

at::Tensor whitenMasked(const at::Tensor &values, const at::Tensor &mask,
                        bool shiftMean, double eps) {
  checkFloating("whitenMasked", "values", values);
  at::Tensor m = checkMask("whitenMasked", "mask", mask, "values", values);
  checkAtLeast("whitenMasked", "eps", eps, 0.0);
  at::Tensor var = unbiasedVariance("whitenMasked", values, m);
  at::Tensor mean = (values * m).sum() / m.sum();
  at::Tensor whitened = (values - mean) * at::rsqrt(var + eps);
  if (!shiftMean)
    whitened = whitened + mean;
  return whitened * m;
}

at::Tensor broadcastToTokens(const at::Tensor &seqValues,
                             const at::Tensor &mask) {
  const char *fn = "broadcastToTokens";
  checkRank(fn, "seqValues", seqValues, 1, "[N]");
  at::Tensor m = checkRowMask(fn, "mask", mask, "seqValues", seqValues.size(0),
                              seqValues.scalar_type(), seqValues.device());
  at::Tensor like = seqValues.unsqueeze(1);
  return like * m;
}

at::Tensor tokenCounts(const at::Tensor &mask) {
  if (!mask.defined() || mask.dim() != 2)
    fail("tokenCounts",
         "mask must be 2-D [N, T], got shape " + shapeString(mask));
  at::Tensor m = mask.is_floating_point() ? mask : mask.to(at::kFloat);
  return m.sum(1);
}

} // namespace rlg::runtime
