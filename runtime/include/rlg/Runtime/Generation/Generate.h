// Batched sampling of responses with a KV cache: n samples per prompt.
#pragma once

#include "rlg/Runtime/Generation/Sampling.h"
#include "rlg/Runtime/Model/Model.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace rlg::runtime {

struct GenerationConfig {
  /// Samples per prompt.
  int64_t n = 1;
  /// The most tokens of a response (its EOS included).
  int64_t maxTokens = 16;
  /// The fewest tokens of a response, as Hugging Face's min_new_tokens:
  /// EOS cannot be drawn (its logit is -inf) before this many tokens. With
  /// minTokens == maxTokens every response is exactly maxTokens long (a
  /// benchmark's fixed length). 0 .. maxTokens. The result's logProbs are
  /// then those of the distribution without EOS, as sampled.
  int64_t minTokens = 0;
  double temperature = 1.0;
  int64_t topK = 0;
  double topP = 1.0;
  bool greedy = false;
  int64_t eosId = 2;
  int64_t padId = 0;
  /// Seeds the one generator of the call: the same seed, prompts and model
  /// give the same responses.
  uint64_t seed = 0;
  /// These prompts' rows are rows [rowOffset, ...) of a batch of batchRows
  /// split over data-parallel ranks (SamplingOptions).
  int64_t rowOffset = 0;
  int64_t batchRows = 0;

  SamplingOptions sampling() const {
    return {temperature, topK, topP, greedy, rowOffset, batchRows};
  }
};

/// N = prompts * n rows; sample j of prompt i is row i * n + j.
struct GenerationResult {
  /// Each row's response ids: up to and including the first EOS, or
  /// maxTokens ids when no EOS came.
  std::vector<std::vector<int64_t>> responses;
  /// [N, P + R] int64: prompts left-padded to P (the longest prompt), then
  /// responses right-padded to R (the longest response), with padId.
  at::Tensor inputIds;
  /// [N, P + R] int64: 1 at prompt and response tokens, 0 at padding.
  at::Tensor attentionMask;
  /// [N, R] float32: 1 at response tokens (EOS included), 0 at padding.
  at::Tensor responseMask;
  /// [N, R] float32: the sampling log-probs of the chosen tokens (see
  /// sampleTokens), 0 at padding.
  at::Tensor logProbs;
  int64_t promptLength = 0;   // P
  int64_t responseLength = 0; // R
};

/// Samples config.n responses to every prompt (token ids, each at least one
/// token). One forward pass prefills all prompts, left-padded, into a KV
/// cache; then one token per step for every row; a row that has produced
/// EOS stops changing, and decoding ends when all have or after maxTokens.
/// Runs without gradients, in the model's precision (one autocast scope
/// for the whole call, and a bfloat16 KV cache under autocast); the
/// tensors are on the model's device. Throws std::invalid_argument when the
/// model's logits hold NaN (weights that are not finite).
GenerationResult generate(Model &model,
                          const std::vector<std::vector<int64_t>> &prompts,
                          const GenerationConfig &config);

/// Prompts left-padded into ids and a 0/1 mask [B, P] (int64): the layout
/// generate() and the scoring functions use.
std::pair<at::Tensor, at::Tensor>
leftPadPrompts(const std::vector<std::vector<int64_t>> &prompts, int64_t padId);

} // namespace rlg::runtime
