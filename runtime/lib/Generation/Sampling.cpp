// Choosing the next token from logits: temperature, top-k, top-p, greedy.
#include "rlg/Runtime/Generation/Sampling.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace rlg::runtime {

void SamplingOptions::validate() const {
  if (!std::isfinite(temperature) || temperature < 0)
    throw std::invalid_argument(
        "sampling: temperature must be >= 0 (0 means greedy), got " +
        std::to_string(temperature));
  if (topK < 0)
    throw std::invalid_argument("sampling: top_k must be >= 0, got " +
                                std::to_string(topK));
  if (!(topP > 0 && topP <= 1))
    throw std::invalid_argument("sampling: top_p must be in (0, 1], got " +
                                std::to_string(topP));
}

at::Generator makeSeededGenerator(uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

at::Tensor filterLogits(const at::Tensor &logits,
                        const SamplingOptions &options) {
  at::Tensor scaled = logits.to(at::kFloat);
  if (options.temperature > 0 && options.temperature != 1.0)
    scaled = scaled / options.temperature;
  const double minusInf = -std::numeric_limits<double>::infinity();
  int64_t vocab = scaled.size(-1);
  if (options.topK > 0 && options.topK < vocab) {
    at::Tensor kth = std::get<0>(scaled.topk(options.topK, -1))
                         .narrow(-1, options.topK - 1, 1);
    scaled = scaled.masked_fill(scaled < kth, minusInf);
  }
  if (options.topP < 1.0) {
    auto [sorted, order] = scaled.sort(-1, /*descending=*/true);
    at::Tensor probs = at::softmax(sorted, -1);
    // Drop a token when the more likely ones already reach p; the most
    // likely token is always kept.
    at::Tensor before = probs.cumsum(-1) - probs;
    at::Tensor dropSorted = before >= options.topP;
    at::Tensor drop = at::zeros_like(dropSorted).scatter(-1, order, dropSorted);
    scaled = scaled.masked_fill(drop, minusInf);
  }
  return scaled;
}

SampledTokens sampleTokens(const at::Tensor &logits,
                           const SamplingOptions &options,
                           at::Generator &generator) {
  options.validate();
  if (!logits.defined() || logits.dim() != 2 || logits.size(1) < 1)
    throw std::invalid_argument("sampleTokens: logits must be [N, V]");
  double temperature = options.temperature > 0 ? options.temperature : 1.0;
  at::Tensor logProbsAll =
      at::log_softmax(logits.to(at::kFloat) / temperature, -1);
  at::Tensor tokens;
  if (options.isGreedy()) {
    tokens = logits.argmax(-1);
  } else {
    // float32 throughout: a [N, V] float64 copy would cost gigabytes for
    // large vocabularies; rounding only matters within ~1e-7 of a CDF step.
    at::Tensor probs = at::softmax(filterLogits(logits, options), -1);
    at::Tensor cdf = probs.cumsum(-1);
    int64_t rows = logits.size(0);
    int64_t batchRows = std::max(options.batchRows, options.rowOffset + rows);
    at::Tensor uniform =
        at::rand({batchRows}, generator, at::TensorOptions(at::kFloat))
            .narrow(0, options.rowOffset, rows)
            .to(logits.device());
    at::Tensor target = (uniform * cdf.select(-1, -1)).unsqueeze(-1);
    // The first index whose CDF exceeds the target; never past the last
    // token that can be drawn.
    at::Tensor columns =
        at::arange(probs.size(-1), cdf.options().dtype(at::kLong));
    at::Tensor lastPossible =
        ((probs > 0).to(at::kLong) * (columns + 1)).amax(-1) - 1;
    // Logits that hold NaN leave no token possible (lastPossible -1): the
    // first token stands in, and its log-prob is NaN for the caller to see.
    tokens = at::minimum((cdf <= target).sum(-1), lastPossible).clamp_min(0);
  }
  at::Tensor chosen = logProbsAll.gather(-1, tokens.unsqueeze(-1)).squeeze(-1);
  return {tokens, chosen};
}

} // namespace rlg::runtime
