// Per-token entropy and log-probabilities from logits [N, T, V].
#include "rlg/Runtime/Algorithms/Entropy.h"
#include "rlg/Runtime/Algorithms/Metrics.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

at::Tensor computeEntropyFromLogits(const at::Tensor &logits) {
  const char *fn = "computeEntropyFromLogits";
  checkRank(fn, "logits", logits, 3, "[N, T, V]");
  if (logits.size(2) < 1)
    fail(fn, "logits has an empty vocabulary dimension (shape " +
                 shapeString(logits) + ")");
  at::Tensor logp = at::log_softmax(logits, -1);
  at::Tensor p = at::exp(logp);
  // p * log p is 0 where p is 0; replacing log p there keeps -inf out of
  // both the value and the gradient.
  at::Tensor safeLogp = at::where(p > 0, logp, at::zeros_like(logp));
  return -(p * safeLogp).sum(-1);
}

at::Tensor computeTokenLogProbs(const at::Tensor &logits,
                                const at::Tensor &tokens) {
  const char *fn = "computeTokenLogProbs";
  checkRank(fn, "logits", logits, 3, "[N, T, V]");
  if (!tokens.defined() || tokens.dim() != 2 ||
      tokens.size(0) != logits.size(0) || tokens.size(1) != logits.size(1))
    fail(fn, "tokens must be [N, T] = [" + std::to_string(logits.size(0)) +
                 ", " + std::to_string(logits.size(1)) + "] to match logits " +
                 shapeString(logits) + ", got shape " + shapeString(tokens));
  if (tokens.is_floating_point() || tokens.scalar_type() == at::kBool)
    fail(fn, std::string("tokens must hold integer ids, got ") +
                 compat::dtypeName(tokens.scalar_type()));
  if (tokens.device() != logits.device())
    fail(fn, "tokens is on " + tokens.device().str() + " but logits is on " +
                 logits.device().str());
  int64_t vocab = logits.size(2);
  if (tokens.numel() > 0) {
    double lo = scalarValue(tokens.min()), hi = scalarValue(tokens.max());
    if (lo < 0 || hi >= static_cast<double>(vocab))
      fail(fn, "token ids must be in [0, " + std::to_string(vocab) +
                   "), got ids from " + std::to_string(int64_t(lo)) + " to " +
                   std::to_string(int64_t(hi)));
  }
  at::Tensor logp = at::log_softmax(logits, -1);
  return logp.gather(2, tokens.to(at::kLong).unsqueeze(2)).squeeze(2);
}

} // namespace rlg::runtime
