// The schedule: the plan the compiler emits and the runtime executes, as plain
// structs (docs/schedule-format.md describes every field).
#pragma once

#include "rlg/Schedule/AttrValue.h"
#include "rlg/Spec/ModelPresets.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rlg::schedule {

/// The format name and version this code reads and writes.
inline constexpr const char *kFormatName = "rlg-schedule";
inline constexpr int kFormatMajor = 1;
inline constexpr int kFormatMinor = 0;

struct FormatVersion {
  int major = kFormatMajor;
  int minor = kFormatMinor;
};

struct ProgramInfo {
  std::string source; // The .rlg file the schedule was compiled from.
  std::string name;
};

struct Cluster {
  int64_t deviceCount = 0;
  std::string deviceKind; // "cpu" or "cuda".
  /// Mesh id -> device ranks.
  std::map<std::string, std::vector<int64_t>> meshes;
};

struct Optimizer {
  std::string kind = "adamw";
  double lr = 0;
  int64_t warmup = 0;
  double weightDecay = 0;
  double gradClip = 0;                 // 0: no clipping.
  std::string lrSchedule = "constant"; // constant, cosine or linear.
};

struct Model {
  std::string name;
  std::string role; // policy, value or reward.
  bool frozen = false;
  std::string frozenFrom; // Source of a frozen copy, else "".
  std::string initFrom;   // Model whose weights it starts from, else "".
  std::string preset;     // "" when the sizes were given explicitly.
  ModelArch arch;
  bool trainable = false; // Some step updates it.
  std::optional<Optimizer> optimizer;
  std::string init; // Checkpoint path loaded at start, else "".
  /// A Hugging Face checkpoint folder (config.json, *.safetensors,
  /// tokenizer.json) the model starts from, else "".
  std::string hf;
};

struct DataSource {
  std::string name;
  std::string kind; // prompts, pairs, demos or labeled.
  /// A built-in task ("arith", "sort", "reverse") with its arguments...
  std::string task;
  std::vector<AttrEntry> taskArgs;
  /// ...or a JSONL file with role -> field paths ("prompt" -> "question",
  /// "messages" -> "conversations"); the roles make one of the combinations
  /// of rlg/Data/JsonlShape.h.
  std::string jsonlPath;
  std::map<std::string, std::string> fields;
};

struct RewardTerm;

/// A reward expression: a rule, a reward model's score, or a weighted sum.
struct RewardExpr {
  enum class Kind { Rule, Score, Sum };
  Kind kind = Kind::Rule;
  std::string rule;              // Rule: exact_match, format, ...
  std::vector<AttrEntry> args;   // Rule: its arguments.
  std::string model;             // Score: the reward model.
  std::vector<RewardTerm> terms; // Sum.
};

struct RewardTerm {
  double weight = 1.0;
  RewardExpr expr;
};

struct Reward {
  std::string name;
  RewardExpr expr;
};

/// A frozen model's call on every example of a data source, computed once
/// before training; `lookup` ops read its rows.
struct PrecomputeTable {
  std::string name;
  std::string model;
  std::string call = "logprob";
  std::string data;
  bool demos = false; // The examples of `data.demos(N)`.
};

/// The closed list of operations a step is made of.
enum class OpKind {
  Param,
  Generate,
  Logprob,
  Value,
  Score,
  Reward,
  Kl,
  Advantage,
  Returns,
  Filter,
  Arith,
  Update,
  Eval,
  Reshard,
  Transfer,
  Offload,
  Onload,
  WeightSync,
  Lookup,
};

/// "generate", "weight_sync", ...
const char *opKindName(OpKind kind);
std::optional<OpKind> parseOpKind(const std::string &name);
std::vector<std::string> opKindNames();

/// How one op is spread over its mesh.
struct Layout {
  int64_t dp = 1;
  int64_t tp = 1;
  int64_t pp = 1;
  int64_t zero = 0;       // ZeRO stage 0..3.
  int64_t microbatch = 0; // Sequences per device and pass; 0: all at once.
  bool checkpointing = false;
  bool offload = false;
};

struct TypedValue {
  std::string name;
  std::string type; // "Rollouts[16 x 8]", "TokenScores[16 x 8]", ...
};

struct Op {
  std::string id;
  OpKind kind = OpKind::Param;
  std::string model; // "" when the op uses no model.
  std::vector<std::string> inputs;
  std::vector<TypedValue> outputs;
  std::vector<AttrEntry> attrs;
  std::string mesh;
  Layout layout;
  std::vector<std::string> deps; // Extra ordering edges.
  std::string loc;               // "file:line:col", or "".
};

struct Step {
  std::string name;
  std::vector<Op> ops;
  /// Device rank -> op ids in the order that rank runs them.
  std::map<int64_t, std::vector<std::string>> instructions;

  /// The op with this id, or null.
  const Op *findOp(const std::string &id) const;
};

struct Stage {
  std::string step;
  int64_t steps = 1;
};

struct EvalSetting {
  std::string data;
  std::string model;
  int64_t every = 1;
  int64_t k = 1;
  double temperature = 0.0;
  int64_t maxTokens = 0; // 0: the generate op's max_tokens.
};

struct CheckpointSetting {
  int64_t every = 1;
  std::string dir = "checkpoints";
};

struct Overlap {
  std::string kind = "none"; // none, off_policy or stream.
  int64_t staleness = 0;     // off_policy: >= 1.
  int64_t chunks = 0;        // stream: >= 1.
};

struct RunSettings {
  std::vector<Stage> stages;
  int64_t seed = 0;
  std::vector<EvalSetting> eval;
  std::optional<CheckpointSetting> checkpoint;
  Overlap overlap;
};

struct StepPrediction {
  std::string step;
  double stepTimeS = 0;
  std::map<std::string, double> opTimeS; // Op id -> seconds.
};

struct Predictions {
  std::vector<StepPrediction> steps;
  /// Device rank -> phase -> peak bytes.
  std::map<int64_t, std::map<std::string, int64_t>> memoryBytes;
};

struct Schedule {
  FormatVersion version;
  ProgramInfo program;
  Cluster cluster;
  std::vector<Model> models;
  std::vector<DataSource> data;
  std::vector<Reward> rewards;
  std::vector<PrecomputeTable> precompute;
  std::vector<Step> steps;
  RunSettings run;
  std::optional<Predictions> predictions;

  const Model *findModel(const std::string &name) const;
  const Step *findStep(const std::string &name) const;
  size_t opCount() const;
};

bool operator==(const PrecomputeTable &a, const PrecomputeTable &b);
bool operator==(const Schedule &a, const Schedule &b);
inline bool operator!=(const Schedule &a, const Schedule &b) {
  return !(a == b);
}

} // namespace rlg::schedule
