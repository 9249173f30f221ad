// Semantic checks of the cluster, models, data sources and rewards.
#include "ValidateParts.h"

#include "rlg/Data/JsonlShape.h"
#include "rlg/Support/TextDistance.h"

#include <map>
#include <set>

namespace rlg::schedule {
namespace {

/// Reports an empty or repeated name; `seen` maps names to their paths.
void checkName(Checker &checker, const std::string &path,
               const std::string &name, const char *what,
               std::map<std::string, std::string> &seen) {
  if (name.empty()) {
    checker.error(path, "must not be empty");
    return;
  }
  auto [it, inserted] = seen.emplace(name, path);
  if (!inserted)
    checker.error(path, std::string("duplicate ") + what + " " + quoted(name) +
                            " (also at " + it->second + ")");
}

} // namespace

void validateCluster(Checker &checker) {
  const Cluster &cluster = checker.schedule.cluster;
  checker.checkAtLeast("cluster.devices.count", cluster.deviceCount, 1);
  checker.checkOneOf("cluster.devices.kind", "device kind", cluster.deviceKind,
                     {"cpu", "cuda"});
  if (cluster.meshes.empty())
    checker.error("cluster.meshes", "the cluster has no meshes",
                  "every op runs on a mesh: add one, such as "
                  "\"m0\": [0]");
  for (const auto &[id, ranks] : cluster.meshes) {
    std::string path = fieldPath("cluster.meshes", id);
    if (ranks.empty())
      checker.error(path, "mesh " + quoted(id) + " has no devices");
    std::map<int64_t, size_t> seen;
    for (size_t i = 0; i < ranks.size(); ++i) {
      std::string rankPath = indexPath(path, i);
      int64_t rank = ranks[i];
      if (rank < 0 || rank >= cluster.deviceCount)
        checker.error(rankPath,
                      "device rank " + std::to_string(rank) +
                          " is out of range: the cluster has " +
                          countOf(cluster.deviceCount, "device"),
                      cluster.deviceCount == 1 ? "the only rank is 0"
                      : cluster.deviceCount > 1
                          ? "ranks go from 0 to " +
                                std::to_string(cluster.deviceCount - 1)
                          : "");
      auto [it, inserted] = seen.emplace(rank, i);
      if (!inserted)
        checker.error(rankPath, "device rank " + std::to_string(rank) +
                                    " appears twice in mesh " + quoted(id) +
                                    " (also at [" + std::to_string(it->second) +
                                    "])");
    }
  }
}

namespace {

void validateArch(Checker &checker, const std::string &path,
                  const ModelArch &arch) {
  bool positive = true;
  positive &= checker.checkAtLeast(path + ".layers", arch.layers, 1);
  positive &= checker.checkAtLeast(path + ".hidden", arch.hidden, 1);
  positive &= checker.checkAtLeast(path + ".ffn", arch.ffn, 1);
  positive &= checker.checkAtLeast(path + ".heads", arch.heads, 1);
  positive &= checker.checkAtLeast(path + ".kv_heads", arch.kvHeads, 1);
  positive &= checker.checkAtLeast(path + ".vocab", arch.vocab, 1);
  if (!positive)
    return;
  if (arch.hidden % arch.heads != 0)
    checker.error(path + ".hidden",
                  "hidden size " + std::to_string(arch.hidden) +
                      " is not divisible by " + countOf(arch.heads, "head"));
  if (arch.heads % arch.kvHeads != 0)
    checker.error(path + ".heads", countOf(arch.heads, "head") +
                                       " are not divisible by " +
                                       countOf(arch.kvHeads, "key/value head"));
}

void validateOptimizer(Checker &checker, const std::string &path,
                       const Optimizer &opt) {
  checker.checkOneOf(path + ".kind", "optimizer", opt.kind, {"adamw"});
  checker.checkNonNegative(path + ".lr", opt.lr, /*positive=*/true);
  checker.checkAtLeast(path + ".warmup", opt.warmup, 0);
  checker.checkNonNegative(path + ".weight_decay", opt.weightDecay);
  checker.checkNonNegative(path + ".grad_clip", opt.gradClip);
  checker.checkOneOf(path + ".lr_schedule", "learning-rate schedule",
                     opt.lrSchedule, {"constant", "cosine", "linear"});
}

void validateModel(Checker &checker, const std::string &path,
                   const Model &model) {
  checker.checkOneOf(path + ".role", "role", model.role,
                     {"policy", "value", "reward"});
  if (!model.preset.empty() && !findModelPreset(model.preset))
    checker.checkOneOf(path + ".preset", "preset", model.preset,
                       modelPresetNames());
  validateArch(checker, path + ".arch", model.arch);
  auto checkSource = [&](const char *field, const std::string &source) {
    if (source == model.name)
      checker.error(path + "." + field,
                    "model " + quoted(model.name) + " names itself");
    else if (!checker.schedule.findModel(source))
      checker.error(path + "." + field, "unknown model " + quoted(source),
                    checker.modelHint(source));
  };
  if (model.frozen) {
    if (model.frozenFrom.empty())
      checker.error(path + ".frozen_from", "a frozen model needs the model "
                                           "it is a copy of");
    else
      checkSource("frozen_from", model.frozenFrom);
    if (model.trainable)
      checker.error(path + ".trainable", "frozen model " + quoted(model.name) +
                                             " cannot be trainable");
    if (model.optimizer)
      checker.error(path + ".optimizer",
                    "frozen model " + quoted(model.name) + " has an optimizer");
  } else if (!model.frozenFrom.empty()) {
    checker.error(path + ".frozen_from", "set on a model that is not frozen",
                  "set \"frozen\": true, or remove \"frozen_from\"");
  }
  if (!model.initFrom.empty())
    checkSource("init_from", model.initFrom);
  if (model.trainable && !model.optimizer)
    checker.error(path + ".optimizer", "trainable model " + quoted(model.name) +
                                           " has no optimizer");
  if (model.optimizer)
    validateOptimizer(checker, path + ".optimizer", *model.optimizer);
}

} // namespace

void validateModels(Checker &checker) {
  std::map<std::string, std::string> seen;
  const std::vector<Model> &models = checker.schedule.models;
  for (size_t i = 0; i < models.size(); ++i) {
    std::string path = indexPath("models", i);
    checkName(checker, path + ".name", models[i].name, "model", seen);
    validateModel(checker, path, models[i]);
  }
}

namespace {

void validateSource(Checker &checker, const std::string &path,
                    const DataSource &data) {
  bool task = !data.task.empty(), jsonl = !data.jsonlPath.empty();
  if (task == jsonl) {
    checker.error(path, task ? "has both \"task\" and \"jsonl\""
                             : "needs a \"task\" or a \"jsonl\" path");
    return;
  }
  if (task) {
    checker.checkOneOf(path + ".task", "task", data.task,
                       {"arith", "sort", "reverse"});
    if (data.kind != "prompts")
      checker.error(path + ".task", "a task gives prompts, but the data "
                                    "kind is " +
                                        quoted(data.kind));
    return;
  }
  // The roles must make one of the jsonl combinations, of this kind.
  std::set<std::string> roles;
  for (const auto &[role, field] : data.fields)
    roles.insert(role);
  const data::JsonlShape *match = data::matchJsonlShape(roles);
  if (match && match->gives(data.kind))
    return;
  std::vector<const data::JsonlShape *> ofKind;
  for (const data::JsonlShape &shape : data::jsonlShapes())
    if (shape.gives(data.kind))
      ofKind.push_back(&shape);
  if (ofKind.empty())
    return; // an unknown kind, reported with the kind
  // A combination of the kind that allows every role lacks one.
  for (const data::JsonlShape *shape : ofKind) {
    bool allowed = true;
    for (const std::string &role : roles)
      allowed = allowed && shape->allows(role);
    if (!allowed)
      continue;
    for (const std::string &role : shape->needed)
      if (!roles.count(role)) {
        checker.error(path + ".fields",
                      quoted(data.kind) + " data needs a field for " +
                          quoted(role),
                      data::jsonlShapesHint());
        return;
      }
  }
  for (const std::string &role : roles) {
    bool belongs = false;
    for (const data::JsonlShape *shape : ofKind)
      belongs = belongs || shape->allows(role);
    if (!belongs) {
      checker.error(fieldPath(path + ".fields", role),
                    "role " + quoted(role) + " does not belong to " +
                        quoted(data.kind) + " data",
                    data::jsonlShapesHint());
      return;
    }
  }
  checker.error(path + ".fields",
                "the roles do not make " + quoted(data.kind) + " data",
                data::jsonlShapesHint());
}

void validateRewardExpr(Checker &checker, const std::string &path,
                        const RewardExpr &expr) {
  switch (expr.kind) {
  case RewardExpr::Kind::Rule:
    checker.checkOneOf(
        path + ".rule", "rule", expr.rule,
        {"exact_match", "math_answer", "format", "length_penalty", "overlong"});
    return;
  case RewardExpr::Kind::Score: {
    const Model *model = checker.schedule.findModel(expr.model);
    if (!model)
      checker.error(path + ".model", "unknown model " + quoted(expr.model),
                    checker.modelHint(expr.model));
    else if (model->role != "reward")
      checker.error(path + ".model", "model " + quoted(expr.model) +
                                         " has role " + quoted(model->role) +
                                         ", not 'reward'");
    return;
  }
  case RewardExpr::Kind::Sum:
    if (expr.terms.empty())
      checker.error(path + ".terms", "a sum needs at least one term");
    for (size_t i = 0; i < expr.terms.size(); ++i)
      validateRewardExpr(checker, indexPath(path + ".terms", i) + ".expr",
                         expr.terms[i].expr);
    return;
  }
}

} // namespace

void validateData(Checker &checker) {
  std::map<std::string, std::string> seen;
  const std::vector<DataSource> &data = checker.schedule.data;
  for (size_t i = 0; i < data.size(); ++i) {
    std::string path = indexPath("data", i);
    checkName(checker, path + ".name", data[i].name, "data source", seen);
    if (checker.checkOneOf(path + ".kind", "data kind", data[i].kind,
                           {"prompts", "pairs", "demos", "labeled"}))
      validateSource(checker, path + ".source", data[i]);
  }
}

void validateRewards(Checker &checker) {
  std::map<std::string, std::string> seen;
  const std::vector<Reward> &rewards = checker.schedule.rewards;
  for (size_t i = 0; i < rewards.size(); ++i) {
    std::string path = indexPath("rewards", i);
    checkName(checker, path + ".name", rewards[i].name, "reward", seen);
    validateRewardExpr(checker, path + ".expr", rewards[i].expr);
  }
}

void validatePrecompute(Checker &checker) {
  std::map<std::string, std::string> seen;
  const std::vector<PrecomputeTable> &tables = checker.schedule.precompute;
  for (size_t i = 0; i < tables.size(); ++i) {
    const PrecomputeTable &table = tables[i];
    std::string path = indexPath("precompute", i);
    checkName(checker, path + ".name", table.name, "precompute table", seen);
    const Model *model = checker.schedule.findModel(table.model);
    if (!model)
      checker.error(path + ".model", "unknown model " + quoted(table.model),
                    checker.modelHint(table.model));
    else if (!model->frozen)
      checker.error(path + ".model",
                    "only a frozen model's calls can be precomputed; " +
                        quoted(table.model) + " is trained",
                    "its values change every step: compute them in the step");
    checker.checkOneOf(path + ".call", "precomputed call", table.call,
                       {"logprob"});
    const DataSource *data = nullptr;
    for (const DataSource &source : checker.schedule.data)
      if (source.name == table.data)
        data = &source;
    if (!data)
      checker.error(path + ".data",
                    "unknown data source " + quoted(table.data));
    else if (table.demos && data->kind != "prompts")
      checker.error(path + ".demos",
                    "demonstrations come from a task's prompts, but " +
                        quoted(table.data) + " gives " + data->kind);
    else if (!table.demos && data->kind == "prompts")
      checker.error(path + ".data",
                    "a table of log-probs needs responses; " +
                        quoted(table.data) + " gives prompts only",
                    "set \"demos\": true for a task's demonstrations");
  }
}

} // namespace rlg::schedule
