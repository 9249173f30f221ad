// Semantic checks of each step's ops: ids, models and roles, references,
// meshes and layouts.
#include "ValidateParts.h"

#include "rlg/Support/TextDistance.h"

#include <map>

namespace rlg::schedule {
namespace {

bool needsModel(OpKind kind) {
  switch (kind) {
  case OpKind::Generate:
  case OpKind::Logprob:
  case OpKind::Value:
  case OpKind::Score:
  case OpKind::Update:
  case OpKind::Reshard:
  case OpKind::Offload:
  case OpKind::Onload:
  case OpKind::WeightSync:
    return true;
  default:
    return false;
  }
}

/// The role an op of `kind` needs of its model, or "" for any role.
std::string roleFor(OpKind kind) {
  switch (kind) {
  case OpKind::Generate:
  case OpKind::Logprob:
  case OpKind::Eval:
    return "policy";
  case OpKind::Value:
    return "value";
  case OpKind::Score:
    return "reward";
  default:
    return "";
  }
}

void validateOpModel(Checker &checker, const std::string &path, const Op &op) {
  std::string kind = opKindName(op.kind);
  if (op.model.empty()) {
    if (needsModel(op.kind))
      checker.error(path + ".model", "a " + quoted(kind) + " op needs a model");
    return;
  }
  const Model *model = checker.schedule.findModel(op.model);
  if (!model) {
    checker.error(path + ".model", "unknown model " + quoted(op.model),
                  checker.modelHint(op.model));
    return;
  }
  std::string role = roleFor(op.kind);
  if (!role.empty() && model->role != role)
    checker.error(path + ".model", "a " + quoted(kind) + " op needs a " + role +
                                       " model, but " + quoted(op.model) +
                                       " is a " + model->role + " model");
  if (op.kind != OpKind::Update)
    return;
  if (model->frozen)
    checker.error(path + ".model",
                  "cannot update frozen model " + quoted(op.model),
                  "update ops train only models with \"frozen\": false and "
                  "\"trainable\": true");
  else if (!model->trainable)
    checker.error(path + ".model",
                  "cannot update model " + quoted(op.model) +
                      ", which is not trainable",
                  "set \"trainable\": true on the model and give it an "
                  "optimizer");
}

/// An attribute that must be a string naming one of `names`.
void checkNamedAttr(Checker &checker, const std::string &path, const Op &op,
                    const char *key, const char *what,
                    const std::vector<std::string> &names) {
  const AttrValue *value = findAttr(op.attrs, key);
  std::string attrPath = path + ".attrs." + key;
  if (!value || value->kind != AttrValue::Kind::String) {
    checker.error(attrPath, std::string("a ") + quoted(opKindName(op.kind)) +
                                " op needs the " + what +
                                " it reads, as a string");
    return;
  }
  for (const std::string &name : names)
    if (name == value->stringValue)
      return;
  checker.error(attrPath,
                std::string("unknown ") + what + " " +
                    quoted(value->stringValue),
                didYouMean(value->stringValue, names));
}

void validateLayout(Checker &checker, const std::string &path, const Op &op) {
  const std::vector<int64_t> *mesh = checker.findMesh(op.mesh);
  if (!mesh) {
    std::vector<std::string> ids;
    for (const auto &entry : checker.schedule.cluster.meshes)
      ids.push_back(entry.first);
    checker.error(path + ".mesh", "unknown mesh " + quoted(op.mesh),
                  ids.empty() ? "" : didYouMean(op.mesh, ids));
  }
  const Layout &layout = op.layout;
  std::string at = path + ".layout";
  bool sizes = checker.checkAtLeast(at + ".dp", layout.dp, 1) &
               checker.checkAtLeast(at + ".tp", layout.tp, 1) &
               checker.checkAtLeast(at + ".pp", layout.pp, 1);
  if (layout.zero < 0 || layout.zero > 3)
    checker.error(at + ".zero", "ZeRO stage must be 0 to 3, got " +
                                    std::to_string(layout.zero));
  checker.checkAtLeast(at + ".microbatch", layout.microbatch, 0);
  if (!mesh || !sizes)
    return;
  int64_t size = static_cast<int64_t>(mesh->size());
  // Each factor is compared first, so that the product cannot overflow.
  bool fits = layout.dp <= size && layout.tp <= size && layout.pp <= size &&
              layout.dp * layout.tp * layout.pp == size;
  if (!fits)
    checker.error(at,
                  "dp x tp x pp = " + std::to_string(layout.dp) + " x " +
                      std::to_string(layout.tp) + " x " +
                      std::to_string(layout.pp) + " does not match the " +
                      countOf(size, "device") + " of mesh " + quoted(op.mesh),
                  "a layout uses every device of its mesh exactly once");
}

void validateOp(Checker &checker, const std::string &path, const Op &op,
                const std::map<std::string, size_t> &ids) {
  validateOpModel(checker, path, op);
  auto checkRefs = [&](const char *field,
                       const std::vector<std::string> &refs) {
    std::vector<std::string> candidates;
    for (const auto &entry : ids)
      candidates.push_back(entry.first);
    for (size_t i = 0; i < refs.size(); ++i) {
      std::string refPath = indexPath(path + "." + field, i);
      if (refs[i] == op.id)
        checker.error(refPath, "op " + quoted(op.id) + " depends on itself");
      else if (!ids.count(refs[i]))
        checker.error(refPath,
                      "unknown op " + quoted(refs[i]) + " in this step",
                      didYouMean(refs[i], candidates));
    }
  };
  checkRefs("inputs", op.inputs);
  checkRefs("deps", op.deps);
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    std::string outPath = indexPath(path + ".outputs", i);
    if (op.outputs[i].name.empty())
      checker.error(outPath + ".name", "must not be empty");
    if (op.outputs[i].type.empty())
      checker.error(outPath + ".type", "must not be empty");
  }
  validateLayout(checker, path, op);
  std::vector<std::string> names;
  if (op.kind == OpKind::Param) {
    for (const DataSource &data : checker.schedule.data)
      names.push_back(data.name);
    checkNamedAttr(checker, path, op, "data", "data source", names);
  } else if (op.kind == OpKind::Reward) {
    for (const Reward &reward : checker.schedule.rewards)
      names.push_back(reward.name);
    checkNamedAttr(checker, path, op, "reward", "reward", names);
  } else if (op.kind == OpKind::Lookup) {
    for (const PrecomputeTable &table : checker.schedule.precompute)
      names.push_back(table.name);
    checkNamedAttr(checker, path, op, "table", "precompute table", names);
  } else if (op.kind == OpKind::Arith) {
    // A weighted sum: one number per input.
    const AttrValue *weights = findAttr(op.attrs, "weights");
    bool numbers = weights && weights->kind == AttrValue::Kind::List;
    for (size_t i = 0; numbers && i < weights->list.size(); ++i)
      numbers = weights->list[i].isNumber();
    if (!numbers || weights->list.size() != op.inputs.size())
      checker.error(path + ".attrs.weights",
                    "an arith op needs one number per input (" +
                        std::to_string(op.inputs.size()) + ")",
                    "arith computes sum_i weights[i] * inputs[i]");
  }
}

} // namespace

void validateSteps(Checker &checker) {
  const std::vector<Step> &steps = checker.schedule.steps;
  if (steps.empty())
    checker.error("steps", "the schedule has no steps");
  std::map<std::string, size_t> stepNames;
  for (size_t s = 0; s < steps.size(); ++s) {
    const Step &step = steps[s];
    std::string path = indexPath("steps", s);
    if (step.name.empty())
      checker.error(path + ".name", "must not be empty");
    else if (!stepNames.emplace(step.name, s).second)
      checker.error(path + ".name",
                    "duplicate step " + quoted(step.name) + " (also at " +
                        indexPath("steps", stepNames[step.name]) + ")");
    if (step.ops.empty())
      checker.error(path + ".ops", "step " + quoted(step.name) + " has no ops");
    std::map<std::string, size_t> ids;
    for (size_t i = 0; i < step.ops.size(); ++i) {
      const std::string &id = step.ops[i].id;
      std::string idPath = indexPath(path + ".ops", i) + ".id";
      if (id.empty())
        checker.error(idPath, "must not be empty");
      else if (!ids.emplace(id, i).second)
        checker.error(idPath, "duplicate op id " + quoted(id) + " (also at " +
                                  indexPath(path + ".ops", ids[id]) + ")");
    }
    for (size_t i = 0; i < step.ops.size(); ++i)
      validateOp(checker, indexPath(path + ".ops", i), step.ops[i], ids);
    validateInstructions(checker, step, path);
  }
}

} // namespace rlg::schedule
