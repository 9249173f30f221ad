// The critic's value loss, optionally clipped around the old values.
#include "rlg/Runtime/Algorithms/ValueLoss.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

MetricMap ValueLossResult::metrics() const {
  return {{"critic/vf_loss", scalarValue(loss)},
          {"critic/vf_clipfrac", scalarValue(clipFraction)},
          {"critic/vpred_mean", scalarValue(predictionMean)}};
}

ValueLossResult
computeValueLoss(const at::Tensor &values, const at::Tensor &oldValues,
                 const at::Tensor &returns, const at::Tensor &mask,
                 std::optional<double> clip, LossAggregation aggregation) {
  const char *fn = "computeValueLoss";
  checkRank(fn, "values", values, 2, "[N, T]");
  checkRank(fn, "oldValues", oldValues, 2, "[N, T]");
  checkRank(fn, "returns", returns, 2, "[N, T]");
  checkSameShape(fn, "values", values, "oldValues", oldValues);
  checkSameShape(fn, "values", values, "returns", returns);
  at::Tensor m = checkMask(fn, "mask", mask, "values", values);
  if (clip)
    checkGreater(fn, "clip", *clip, 0.0);

  at::Tensor count = m.sum().clamp_min(1.0);
  at::Tensor error = values - returns;
  at::Tensor squared = error * error;
  ValueLossResult result;
  if (clip) {
    at::Tensor clipped =
        at::max(at::min(values, oldValues + *clip), oldValues - *clip);
    at::Tensor clippedError = clipped - returns;
    at::Tensor clippedSquared = clippedError * clippedError;
    result.clipFraction =
        ((clippedSquared > squared).to(m.scalar_type()) * m).sum().detach() /
        count;
    squared = at::max(squared, clippedSquared);
  } else {
    result.clipFraction = at::zeros({}, m.options());
  }
  result.predictionMean = (values * m).sum().detach() / count;
  result.loss = 0.5 * aggregateLoss(squared, m, aggregation);
  return result;
}

} // namespace rlg::runtime
