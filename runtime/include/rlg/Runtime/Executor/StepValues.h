// The values a step's ops pass to each other: batches of examples, rollouts
// and scores, each knowing the sequences it was computed on.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace rlg::runtime {

/// Token sequences laid out as generate() lays them out: left-padded prompts
/// of length P, then responses right-padded to R.
struct Sequences {
  at::Tensor inputIds;      // [N, P + R] int64
  at::Tensor attentionMask; // [N, P + R] int64
  at::Tensor responseMask;  // [N, R] float32
  int64_t responseLength = 0;
  /// Logits are divided by this when scoring (the sampling temperature).
  double temperature = 1.0;
  int64_t rows() const { return inputIds.size(0); }
};

/// Examples drawn from a data source by a `param` op.
struct ExampleBatch {
  std::string kind;                // prompts, pairs, demos or labeled
  std::string data;                // the data source's name
  std::vector<int64_t> exampleIds; // indices into the data source
  std::vector<std::string> prompts;
  std::vector<std::string> answers;   // prompts with answers
  std::vector<std::string> responses; // demos; labeled completions
  std::vector<std::string> chosen, rejected;
  std::vector<bool> labels; // labeled
  /// The sequences the models read: demos and labeled one row per example;
  /// pairs 2B rows, chosen then rejected.
  std::shared_ptr<Sequences> sequences;
};

/// Responses sampled by a `generate` op (or kept by a `filter`).
struct Rollouts {
  int64_t prompts = 0; // B
  int64_t samples = 1; // n; row i * n + j is sample j of prompt i
  std::shared_ptr<Sequences> sequences;
  std::vector<std::vector<int64_t>> responseIds;
  std::vector<std::string> responseTexts;
  std::vector<std::string> answers; // per row; empty when unknown
  at::Tensor responseLengths;       // [N] float32
  at::Tensor samplingLogProbs;      // [N, R]
};

/// Scores of a batch: [N] per sequence, [N, R] per token, or [B, 2] for
/// pairs (chosen, rejected).
struct Scores {
  enum class Shape { Sequence, Token, Pair };
  Shape shape = Shape::Sequence;
  at::Tensor values;
  /// The sequences they were computed on (rollouts or example batch).
  std::shared_ptr<Sequences> sequences;
  std::shared_ptr<Rollouts> rollouts;  // set for scores of rollouts
  std::shared_ptr<ExampleBatch> batch; // set for scores of examples
};

using StepValue = std::variant<std::shared_ptr<ExampleBatch>,
                               std::shared_ptr<Rollouts>, Scores>;

/// The values of one step, by op id.
using StepValues = std::map<std::string, StepValue>;

} // namespace rlg::runtime
