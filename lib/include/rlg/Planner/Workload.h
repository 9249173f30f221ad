// What the planner plans: the models, the calls one training step makes on
// them with their sizes, how steps may overlap, the schedule's pins, and the
// cluster. Plain data, read from a program by the compiler (or built by
// hand in tests and benchmarks).
#pragma once

#include "rlg/Planner/PhaseTimes.h"
#include "rlg/Spec/ClusterSpec.h"
#include "rlg/Spec/ModelPresets.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rlg::planner {

enum class CallKind { Generate, Logprob, Value, Score, Update };

/// "generate", "logprob", "value", "score", "update".
const char *callKindName(CallKind kind);

struct ModelSpec {
  std::string name; ///< "actor"
  ModelArch arch;
  bool trainable = false; ///< some call updates it
};

/// One call a step makes. Sizes are per training step.
struct CallSpec {
  std::string id; ///< unique within the workload: the step op's id, "gen"
  int model = 0;  ///< index into Workload::models
  CallKind kind = CallKind::Logprob;
  int64_t sequences = 0; ///< sequences processed (prompts x samples)
  /// What a layout's dp (and micro-batch x dp) must divide: a generate's
  /// prompts, an update's minibatch, otherwise `sequences`.
  int64_t batch = 0;
  int64_t promptTokens = 0;   ///< per sequence
  int64_t responseTokens = 0; ///< per sequence (generated, or scored)
  /// Update only: sequences per optimiser step, and passes over the batch.
  int64_t minibatch = 0;
  int64_t epochs = 1;
  /// Calls (indices into Workload::calls) whose results this call reads.
  std::vector<int> inputs;

  int64_t sequenceTokens() const { return promptTokens + responseTokens; }
};

/// How consecutive steps may overlap (the schedule's `overlap`).
struct Overlap {
  enum class Kind { None, OffPolicy, Stream } kind = Kind::None;
  int64_t staleness = 0; ///< OffPolicy: generation may use weights this old
  int64_t chunks = 0;    ///< Stream: generation is scored in this many pieces
};

/// A pinned layout for all calls of one kind of one model
/// (`actor.update { tp = 2 }`); unset keys are free.
struct LayoutPin {
  int model = 0;
  CallKind kind = CallKind::Update;
  std::optional<int64_t> dp, tp, pp, microBatch;
  std::optional<int> zero;
  std::optional<bool> checkpointing, offload;
};

struct Workload {
  std::vector<ModelSpec> models;
  std::vector<CallSpec> calls; ///< in program order; inputs point backwards
  Overlap overlap;
  std::vector<LayoutPin> pins;
  /// Models that must share devices (`colocate(...)`), by index.
  std::vector<std::vector<int>> colocate;

  /// Tokens generated per step (sum over generate calls).
  double generatedTokensPerStep() const;
  /// Index of the model called `name`, or -1.
  int findModel(const std::string &name) const;
};

/// Everything a strategy needs.
struct PlanProblem {
  Workload workload;
  ClusterSpec cluster;
  Efficiency efficiency;
  /// Steps the simulator unrolls; the step time is measured over the
  /// second half, once the pipeline is full.
  int iterations = 6;
  /// The most pipeline stages (pp) a training layout may have. 1, the
  /// default, plans without pipeline parallelism, which the runtime does
  /// not run; 0 lets the search consider any pp (for sizing only).
  int64_t maxPipelineStages = 1;
};

/// Checks a workload before planning: sizes positive, inputs in range and
/// earlier, pins and colocate groups naming models. Each problem is one
/// line naming the call or model; empty when all is well.
std::vector<std::string> checkWorkload(const Workload &workload);

} // namespace rlg::planner
