// Loss aggregation: how a per-token loss [N, T] becomes one number.
#include "rlg/Runtime/Algorithms/Aggregation.h"

#include "Checks.h"

#include <algorithm>
#include <string>

namespace rlg::runtime {
using namespace detail;

LossAggregation parseLossAggregation(std::string_view name) {
  if (name == "token-mean")
    return LossAggregation::TokenMean;
  if (name == "seq-mean-token-sum")
    return LossAggregation::SeqMeanTokenSum;
  if (name == "seq-mean-token-mean")
    return LossAggregation::SeqMeanTokenMean;
  fail("parseLossAggregation",
       "unknown aggregation '" + std::string(name) +
           "'; expected token-mean, seq-mean-token-sum or seq-mean-token-mean");
}

const char *lossAggregationName(LossAggregation mode) {
  switch (mode) {
  case LossAggregation::TokenMean:
    return "token-mean";
  case LossAggregation::SeqMeanTokenSum:
    return "seq-mean-token-sum";
  case LossAggregation::SeqMeanTokenMean:
    return "seq-mean-token-mean";
  }
  return "?";
}

at::Tensor aggregateLoss(const at::Tensor &loss, const at::Tensor &mask,
                         LossAggregation mode) {
  const char *fn = "aggregateLoss";
  checkRank(fn, "loss", loss, 2, "[N, T]");
  at::Tensor m = checkMask(fn, "mask", mask, "loss", loss);
  // `where` keeps a non-finite value at a padding position out of the sum.
  at::Tensor masked = at::where(m != 0, loss * m, at::zeros_like(loss));
  switch (mode) {
  case LossAggregation::TokenMean:
    return masked.sum() / m.sum().clamp_min(1.0);
  case LossAggregation::SeqMeanTokenSum:
    return masked.sum(1).sum() /
           static_cast<double>(std::max<int64_t>(1, loss.size(0)));
  case LossAggregation::SeqMeanTokenMean:
    return (masked.sum(1) / m.sum(1).clamp_min(1.0)).sum() /
           static_cast<double>(std::max<int64_t>(1, loss.size(0)));
  }
  fail(fn, "unknown aggregation mode");
}

} // namespace rlg::runtime
