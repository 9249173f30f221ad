// Op kind names, look-ups and equality of schedules.
#include "rlg/Schedule/Schedule.h"

#include <tuple>
#include <utility>

namespace rlg::schedule {
namespace {

const std::pair<OpKind, const char *> kOpKinds[] = {
    {OpKind::Param, "param"},
    {OpKind::Generate, "generate"},
    {OpKind::Logprob, "logprob"},
    {OpKind::Value, "value"},
    {OpKind::Score, "score"},
    {OpKind::Reward, "reward"},
    {OpKind::Kl, "kl"},
    {OpKind::Advantage, "advantage"},
    {OpKind::Returns, "returns"},
    {OpKind::Filter, "filter"},
    {OpKind::Arith, "arith"},
    {OpKind::Update, "update"},
    {OpKind::Eval, "eval"},
    {OpKind::Reshard, "reshard"},
    {OpKind::Transfer, "transfer"},
    {OpKind::Offload, "offload"},
    {OpKind::Onload, "onload"},
    {OpKind::WeightSync, "weight_sync"},
    {OpKind::Lookup, "lookup"},
};

bool sameArch(const ModelArch &a, const ModelArch &b) {
  return std::tie(a.layers, a.hidden, a.ffn, a.heads, a.kvHeads, a.vocab,
                  a.tieEmbeddings) == std::tie(b.layers, b.hidden, b.ffn,
                                               b.heads, b.kvHeads, b.vocab,
                                               b.tieEmbeddings);
}

} // namespace

const char *opKindName(OpKind kind) {
  for (const auto &[k, name] : kOpKinds)
    if (k == kind)
      return name;
  return "?";
}

std::optional<OpKind> parseOpKind(const std::string &name) {
  for (const auto &[kind, n] : kOpKinds)
    if (name == n)
      return kind;
  return std::nullopt;
}

std::vector<std::string> opKindNames() {
  std::vector<std::string> names;
  for (const auto &entry : kOpKinds)
    names.push_back(entry.second);
  return names;
}

const Model *Schedule::findModel(const std::string &name) const {
  for (const Model &model : models)
    if (model.name == name)
      return &model;
  return nullptr;
}

const Op *Step::findOp(const std::string &id) const {
  for (const Op &op : ops)
    if (op.id == id)
      return &op;
  return nullptr;
}

const Step *Schedule::findStep(const std::string &name) const {
  for (const Step &step : steps)
    if (step.name == name)
      return &step;
  return nullptr;
}

size_t Schedule::opCount() const {
  size_t count = 0;
  for (const Step &step : steps)
    count += step.ops.size();
  return count;
}

// Equality of the parts, found by argument-dependent look-up below.
bool operator==(const Optimizer &a, const Optimizer &b) {
  return std::tie(a.kind, a.lr, a.warmup, a.weightDecay, a.gradClip,
                  a.lrSchedule) == std::tie(b.kind, b.lr, b.warmup,
                                            b.weightDecay, b.gradClip,
                                            b.lrSchedule);
}
bool operator==(const Model &a, const Model &b) {
  return std::tie(a.name, a.role, a.frozen, a.frozenFrom, a.initFrom, a.init,
                  a.hf, a.preset, a.trainable, a.optimizer) ==
             std::tie(b.name, b.role, b.frozen, b.frozenFrom, b.initFrom,
                      b.init, b.hf, b.preset, b.trainable, b.optimizer) &&
         sameArch(a.arch, b.arch);
}
bool operator==(const DataSource &a, const DataSource &b) {
  return std::tie(a.name, a.kind, a.task, a.taskArgs, a.jsonlPath, a.fields) ==
         std::tie(b.name, b.kind, b.task, b.taskArgs, b.jsonlPath, b.fields);
}
bool operator==(const RewardTerm &a, const RewardTerm &b);
bool operator==(const RewardExpr &a, const RewardExpr &b) {
  return std::tie(a.kind, a.rule, a.args, a.model, a.terms) ==
         std::tie(b.kind, b.rule, b.args, b.model, b.terms);
}
bool operator==(const RewardTerm &a, const RewardTerm &b) {
  return a.weight == b.weight && a.expr == b.expr;
}
bool operator==(const Reward &a, const Reward &b) {
  return a.name == b.name && a.expr == b.expr;
}
bool operator==(const Layout &a, const Layout &b) {
  return std::tie(a.dp, a.tp, a.pp, a.zero, a.microbatch, a.checkpointing,
                  a.offload) == std::tie(b.dp, b.tp, b.pp, b.zero, b.microbatch,
                                         b.checkpointing, b.offload);
}
bool operator==(const TypedValue &a, const TypedValue &b) {
  return a.name == b.name && a.type == b.type;
}
bool operator==(const Op &a, const Op &b) {
  return std::tie(a.id, a.kind, a.model, a.inputs, a.outputs, a.attrs, a.mesh,
                  a.layout, a.deps,
                  a.loc) == std::tie(b.id, b.kind, b.model, b.inputs, b.outputs,
                                     b.attrs, b.mesh, b.layout, b.deps, b.loc);
}
bool operator==(const Step &a, const Step &b) {
  return std::tie(a.name, a.ops, a.instructions) ==
         std::tie(b.name, b.ops, b.instructions);
}
bool operator==(const Stage &a, const Stage &b) {
  return a.step == b.step && a.steps == b.steps;
}
bool operator==(const EvalSetting &a, const EvalSetting &b) {
  return std::tie(a.data, a.model, a.every, a.k, a.temperature, a.maxTokens) ==
         std::tie(b.data, b.model, b.every, b.k, b.temperature, b.maxTokens);
}
bool operator==(const CheckpointSetting &a, const CheckpointSetting &b) {
  return a.every == b.every && a.dir == b.dir;
}
bool operator==(const Overlap &a, const Overlap &b) {
  return std::tie(a.kind, a.staleness, a.chunks) ==
         std::tie(b.kind, b.staleness, b.chunks);
}
bool operator==(const RunSettings &a, const RunSettings &b) {
  return std::tie(a.stages, a.seed, a.eval, a.checkpoint, a.overlap) ==
         std::tie(b.stages, b.seed, b.eval, b.checkpoint, b.overlap);
}
bool operator==(const StepPrediction &a, const StepPrediction &b) {
  return std::tie(a.step, a.stepTimeS, a.opTimeS) ==
         std::tie(b.step, b.stepTimeS, b.opTimeS);
}
bool operator==(const Predictions &a, const Predictions &b) {
  return a.steps == b.steps && a.memoryBytes == b.memoryBytes;
}

bool operator==(const PrecomputeTable &a, const PrecomputeTable &b) {
  return std::tie(a.name, a.model, a.call, a.data, a.demos) ==
         std::tie(b.name, b.model, b.call, b.data, b.demos);
}
bool operator==(const Schedule &a, const Schedule &b) {
  return a.version.major == b.version.major &&
         a.version.minor == b.version.minor &&
         a.program.source == b.program.source &&
         a.program.name == b.program.name &&
         a.cluster.deviceCount == b.cluster.deviceCount &&
         a.cluster.deviceKind == b.cluster.deviceKind &&
         a.cluster.meshes == b.cluster.meshes && a.models == b.models &&
         a.data == b.data && a.rewards == b.rewards &&
         a.precompute == b.precompute && a.steps == b.steps && a.run == b.run &&
         a.predictions == b.predictions;
}

} // namespace rlg::schedule
