// Choosing the next token from logits: temperature, top-k, top-p, greedy.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>

namespace rlg::runtime {

struct SamplingOptions {
  /// Logits are divided by it; must be > 0 unless greedy (0 means greedy).
  double temperature = 1.0;
  /// Keep the k most likely tokens; 0 keeps all.
  int64_t topK = 0;
  /// Keep the most likely tokens whose probabilities first sum to >= p;
  /// 1 keeps all. In (0, 1].
  double topP = 1.0;
  /// Take the most likely token (ignores the other options but the
  /// temperature of the log-probs).
  bool greedy = false;
  /// The rows are rows [rowOffset, rowOffset + N) of a batch of batchRows
  /// (0: N) sampled with the same generator: each step draws the whole
  /// batch's uniform numbers and takes these rows', so a batch split over
  /// data-parallel ranks samples exactly as one process would.
  int64_t rowOffset = 0;
  int64_t batchRows = 0;

  bool isGreedy() const { return greedy || temperature == 0.0; }
  /// Throws std::invalid_argument naming the first bad option.
  void validate() const;
};

struct SampledTokens {
  at::Tensor tokens;   // [N] int64
  at::Tensor logProbs; // [N] float32
};

/// Logits [N, V] with the tokens that top-k and top-p drop set to -inf
/// (after dividing by the temperature).
at::Tensor filterLogits(const at::Tensor &logits,
                        const SamplingOptions &options);

/// One token per row of logits [N, V]. Sampling inverts the CDF of the
/// filtered distribution with one uniform number per row drawn on the CPU
/// from `generator`: the random numbers of a seed are the same on every
/// device (the tokens too, but for rounding of the logits and the CDF).
/// logProbs are the chosen tokens' log-probabilities under
/// softmax(logits / temperature) before top-k/top-p filtering (temperature
/// 1 when greedy with temperature 0): what scoring the response with the
/// same temperature recomputes.
SampledTokens sampleTokens(const at::Tensor &logits,
                           const SamplingOptions &options,
                           at::Generator &generator);

/// A CPU generator seeded with `seed`.
at::Generator makeSeededGenerator(uint64_t seed);

} // namespace rlg::runtime
