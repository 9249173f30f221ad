// Vocabulary parallelism: embedding lookups and log-softmax scores when each
// rank of a tensor-parallel group holds a slice of the vocabulary.
#include "rlg/Runtime/Distributed/VocabParallel.h"
#include "rlg/Runtime/Algorithms/Entropy.h"
#include "rlg/Runtime/Support/TensorText.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace rlg::runtime {
namespace {

/// Whether each id falls in this rank's slice [begin, begin + length), and
/// its index in the slice (0 where it does not).
std::pair<at::Tensor, at::Tensor> localIndices(const at::Tensor &ids,
                                               int64_t begin, int64_t length) {
  at::Tensor longIds = ids.to(at::kLong);
  at::Tensor inSlice = (longIds >= begin) & (longIds < begin + length);
  at::Tensor local = (longIds - begin).masked_fill(inSlice.logical_not(), 0);
  return {inSlice, local};
}

} // namespace

at::Tensor vocabParallelEmbedding(const at::Tensor &ids,
                                  const at::Tensor &localWeight,
                                  const TensorParallel &tp) {
  if (!tp.active())
    return at::embedding(localWeight, ids);
  int64_t length = localWeight.size(0);
  auto [inSlice, local] = localIndices(ids, tp.rank() * length, length);
  at::Tensor rows = at::embedding(localWeight, local)
                        .masked_fill(inSlice.logical_not().unsqueeze(-1), 0);
  return reduceFromTensorParallel(rows, tp);
}

VocabParallelScores vocabParallelTokenScores(const at::Tensor &localLogits,
                                             const at::Tensor &tokens,
                                             const TensorParallel &tp,
                                             bool entropy) {
  VocabParallelScores scores;
  if (!tp.active()) {
    scores.logProbs = computeTokenLogProbs(localLogits, tokens);
    if (entropy)
      scores.entropy = computeEntropyFromLogits(localLogits);
    return scores;
  }
  const char *fn = "vocabParallelTokenScores";
  if (!localLogits.defined() || localLogits.dim() != 3 ||
      localLogits.size(2) < 1)
    throw std::invalid_argument(
        std::string(fn) + ": logits must be [N, T, vocab / tp], got " +
        (localLogits.defined() ? shapeOf(localLogits) : "undefined"));
  if (!tokens.defined() || tokens.dim() != 2 ||
      tokens.size(0) != localLogits.size(0) ||
      tokens.size(1) != localLogits.size(1) || tokens.is_floating_point())
    throw std::invalid_argument(
        std::string(fn) + ": tokens must be integer ids [N, T] matching " +
        "logits " + shapeOf(localLogits) + ", got " +
        (tokens.defined() ? shapeOf(tokens) : "undefined"));
  int64_t width = localLogits.size(2);
  int64_t vocab = width * tp.size();
  if (tokens.numel() > 0) {
    int64_t lo = tokens.min().item<int64_t>();
    int64_t hi = tokens.max().item<int64_t>();
    if (lo < 0 || hi >= vocab)
      throw std::invalid_argument(
          std::string(fn) + ": token ids must be in [0, " +
          std::to_string(vocab) + "), got ids from " + std::to_string(lo) +
          " to " + std::to_string(hi));
  }

  // Shifting by the group's largest logit keeps exp() in range; the shift
  // cancels in every result, so it carries no gradient.
  at::Tensor largest = localLogits.detach().amax(-1, /*keepdim=*/true);
  tp.group->allReduceMax(largest);
  at::Tensor shifted = localLogits - largest;
  at::Tensor exps = shifted.exp();
  auto [inSlice, local] =
      localIndices(tokens.to(localLogits.device()), tp.rank() * width, width);
  at::Tensor target = shifted.gather(-1, local.unsqueeze(-1))
                          .squeeze(-1)
                          .masked_fill(inSlice.logical_not(), 0);
  std::vector<at::Tensor> partial{exps.sum(-1), target};
  if (entropy) {
    // p * logit is 0 where p is 0 (a logit of -inf): keep NaN out.
    at::Tensor weighted =
        at::where(exps > 0, exps * shifted, at::zeros_like(shifted));
    partial.push_back(weighted.sum(-1));
  }
  // One collective for all the sums over the vocabulary.
  std::vector<at::Tensor> sums =
      reduceFromTensorParallel(at::stack(partial, -1), tp).unbind(-1);
  at::Tensor logSumExp = sums[0].log();
  scores.logProbs = sums[1] - logSumExp;
  if (entropy)
    scores.entropy = logSumExp - sums[2] / sums[0];
  return scores;
}

} // namespace rlg::runtime
