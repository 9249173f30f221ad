// Vocabulary parallelism: embedding lookups and log-softmax scores when each
// rank of a tensor-parallel group holds a slice of the vocabulary.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"

namespace rlg::runtime {

/// The embeddings [..., hidden] of ids [...] (whole-vocabulary ids) from an
/// embedding table split by rows: `localWeight` [vocab / tp, hidden] holds
/// rows [tp.sliceBegin(vocab), ...) of the whole table. Ids outside the
/// slice look up zeros and the sum over the group (reduceFromTensorParallel)
/// gives every rank the whole lookup. Differentiable in localWeight.
at::Tensor vocabParallelEmbedding(const at::Tensor &ids,
                                  const at::Tensor &localWeight,
                                  const TensorParallel &tp);

struct VocabParallelScores {
  at::Tensor logProbs; // [N, T]
  at::Tensor entropy;  // [N, T], when asked for
};

/// log softmax(logits)[tokens], and the entropy of softmax(logits), from
/// this rank's slice of the logits [N, T, vocab / tp] (rank r holds vocab
/// ids [r * vocab / tp, (r + 1) * vocab / tp)) and whole-vocabulary tokens
/// [N, T]: the same values and gradients, on every rank of the group, as
/// computeTokenLogProbs and computeEntropyFromLogits on the joined logits.
/// The log-sum-exp is shifted by the group's largest logit (a detached
/// all-reduce of the maximum); the sums of exponentials, the target logit
/// (a masked gather of the rank that holds it) and sum(p * logit) each go
/// through one reduceFromTensorParallel. Throws std::invalid_argument for
/// token ids outside [0, vocab).
VocabParallelScores vocabParallelTokenScores(const at::Tensor &localLogits,
                                             const at::Tensor &tokens,
                                             const TensorParallel &tp,
                                             bool entropy);

} // namespace rlg::runtime
