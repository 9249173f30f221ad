// Per-token log-probs, entropies and values, and per-sequence rewards, of
// prompt + response batches under a model, in micro-batches.
//
// A batch is input_ids [N, P + R] and attention_mask [N, P + R] as
// generate() lays them out: left-padded prompts, then responses of at most
// R tokens, right-padded. The response token at column P + j is predicted
// by the hidden state at column P + j - 1, so the per-token results [N, R]
// come from columns P - 1 .. P + R - 2; they are 0 where the response is
// padding. The functions follow the caller's grad mode: under
// torch::NoGradGuard they score, with gradients on they are differentiable
// (then the micro-batches only bound the peak size of the logits).
#pragma once

#include "rlg/Runtime/Model/Model.h"

#include <cstdint>

namespace rlg::runtime {

struct ScoringOptions {
  /// Rows per forward pass; 0 scores the whole batch at once.
  int64_t microBatch = 0;
  /// Logits are divided by this before the softmax (the sampling
  /// temperature, so scores match generate()'s log-probs).
  double temperature = 1.0;
  /// Also compute the entropy of each response position.
  bool entropy = false;
};

struct TokenScores {
  at::Tensor logProbs; // [N, R] float32
  at::Tensor entropy;  // [N, R] float32, when asked for
};

/// log p(token) of the last R tokens of each row under a policy (and the
/// entropy of the distribution at each of them).
TokenScores scoreResponseTokens(Model &policy, const at::Tensor &inputIds,
                                const at::Tensor &attentionMask,
                                int64_t responseLength,
                                const ScoringOptions &options = {});

/// A value model's value before each of the last R tokens: [N, R] float32.
at::Tensor responseValues(Model &valueModel, const at::Tensor &inputIds,
                          const at::Tensor &attentionMask,
                          int64_t responseLength, int64_t microBatch = 0);

/// A reward model's score of each whole sequence (its value at the last
/// real token): [N] float32.
at::Tensor sequenceRewards(Model &rewardModel, const at::Tensor &inputIds,
                           const at::Tensor &attentionMask,
                           int64_t microBatch = 0);

} // namespace rlg::runtime
