// Per-token log-probs, entropies and values, and per-sequence rewards, of
// prompt + response batches under a model, in micro-batches.
#include "rlg/Runtime/Model/Scoring.h"
#include "rlg/Runtime/Algorithms/Entropy.h"
#include "rlg/Runtime/Distributed/VocabParallel.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rlg::runtime {
namespace {

void checkBatch(const char *fn, const at::Tensor &inputIds,
                const at::Tensor &attentionMask, int64_t responseLength) {
  if (!inputIds.defined() || inputIds.dim() != 2)
    throw std::invalid_argument(std::string(fn) +
                                ": input_ids must be [N, P + R]");
  if (!attentionMask.defined() || attentionMask.sizes() != inputIds.sizes())
    throw std::invalid_argument(std::string(fn) +
                                ": attention_mask must have input_ids' shape");
  if (responseLength < 1 || responseLength >= inputIds.size(1))
    throw std::invalid_argument(
        std::string(fn) + ": the response length " +
        std::to_string(responseLength) + " must be in [1, " +
        std::to_string(inputIds.size(1) - 1) +
        "] (at least one prompt column precedes the responses)");
}

/// Runs `score` on row ranges of at most `microBatch` rows and concatenates
/// the results along rows.
std::vector<at::Tensor> inMicroBatches(
    int64_t rows, int64_t microBatch,
    const std::function<std::vector<at::Tensor>(int64_t, int64_t)> &score) {
  int64_t step = microBatch > 0 ? microBatch : rows;
  std::vector<std::vector<at::Tensor>> parts;
  for (int64_t start = 0; start < rows; start += step)
    parts.push_back(score(start, std::min(step, rows - start)));
  std::vector<at::Tensor> joined;
  for (size_t k = 0; !parts.empty() && k < parts[0].size(); ++k) {
    std::vector<at::Tensor> column;
    for (auto &part : parts)
      column.push_back(part[k]);
    joined.push_back(at::cat(column, 0));
  }
  return joined;
}

/// The response part [n, R] of a mask [n, P + R], as float32.
at::Tensor responseMaskOf(const at::Tensor &mask, int64_t responseLength) {
  return mask.narrow(1, mask.size(1) - responseLength, responseLength)
      .ne(0)
      .to(at::kFloat);
}

} // namespace

TokenScores scoreResponseTokens(Model &policy, const at::Tensor &inputIds,
                                const at::Tensor &attentionMask,
                                int64_t responseLength,
                                const ScoringOptions &options) {
  const char *fn = "scoreResponseTokens";
  checkBatch(fn, inputIds, attentionMask, responseLength);
  if (policy->role() != ModelRole::Policy)
    throw std::invalid_argument(std::string(fn) + ": the model is a " +
                                modelRoleName(policy->role()) +
                                " model, not a policy");
  if (!(options.temperature > 0))
    throw std::invalid_argument(std::string(fn) + ": temperature must be > 0");
  int64_t columns = inputIds.size(1);
  auto parts = inMicroBatches(
      inputIds.size(0), options.microBatch, [&](int64_t start, int64_t rows) {
        at::Tensor ids = inputIds.narrow(0, start, rows);
        at::Tensor mask = attentionMask.narrow(0, start, rows);
        at::Tensor hidden = policy->hiddenStates(ids, mask);
        at::Tensor logits =
            policy
                ->applyHead(hidden.narrow(1, columns - responseLength - 1,
                                          responseLength))
                .to(at::kFloat);
        if (options.temperature != 1.0)
          logits = logits / options.temperature;
        at::Tensor tokens =
            ids.narrow(1, columns - responseLength, responseLength)
                .to(logits.device());
        at::Tensor real =
            responseMaskOf(mask, responseLength).to(logits.device());
        if (policy->tensorParallel().active()) {
          // Vocab-sliced logits: the softmax's sums run over the group.
          VocabParallelScores split = vocabParallelTokenScores(
              logits, tokens, policy->tensorParallel(), options.entropy);
          std::vector<at::Tensor> out{split.logProbs * real};
          if (options.entropy)
            out.push_back(split.entropy * real);
          return out;
        }
        std::vector<at::Tensor> out{computeTokenLogProbs(logits, tokens) *
                                    real};
        if (options.entropy)
          out.push_back(computeEntropyFromLogits(logits) * real);
        return out;
      });
  TokenScores scores;
  scores.logProbs = parts[0];
  if (options.entropy)
    scores.entropy = parts[1];
  return scores;
}

at::Tensor responseValues(Model &valueModel, const at::Tensor &inputIds,
                          const at::Tensor &attentionMask,
                          int64_t responseLength, int64_t microBatch) {
  const char *fn = "responseValues";
  checkBatch(fn, inputIds, attentionMask, responseLength);
  if (valueModel->role() == ModelRole::Policy)
    throw std::invalid_argument(std::string(fn) +
                                ": a policy has no value head");
  int64_t columns = inputIds.size(1);
  return inMicroBatches(
      inputIds.size(0), microBatch, [&](int64_t start, int64_t rows) {
        at::Tensor mask = attentionMask.narrow(0, start, rows);
        at::Tensor values =
            valueModel->forward(inputIds.narrow(0, start, rows), mask)
                .narrow(1, columns - responseLength - 1, responseLength)
                .to(at::kFloat);
        return std::vector<at::Tensor>{
            values * responseMaskOf(mask, responseLength).to(values.device())};
      })[0];
}

at::Tensor sequenceRewards(Model &rewardModel, const at::Tensor &inputIds,
                           const at::Tensor &attentionMask,
                           int64_t microBatch) {
  const char *fn = "sequenceRewards";
  if (!inputIds.defined() || inputIds.dim() != 2 || !attentionMask.defined() ||
      attentionMask.sizes() != inputIds.sizes())
    throw std::invalid_argument(
        std::string(fn) +
        ": input_ids and attention_mask must be [N, T] of the same shape");
  if (rewardModel->role() == ModelRole::Policy)
    throw std::invalid_argument(std::string(fn) +
                                ": a policy has no value head");
  return inMicroBatches(
      inputIds.size(0), microBatch, [&](int64_t start, int64_t rows) {
        return std::vector<at::Tensor>{
            rewardModel
                ->sequenceScores(inputIds.narrow(0, start, rows),
                                 attentionMask.narrow(0, start, rows))
                .to(at::kFloat)};
      })[0];
}

} // namespace rlg::runtime
