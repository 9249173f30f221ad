// Checks of a step: its graph (edges, cycles, order), parameters and updates.
#include "Checker.h"

#include "StepGraphAlgorithms.h"
#include "rlg/Support/TextDistance.h"

#include <algorithm>
#include <functional>

namespace rlg::dsl {

namespace {

/// Calls `visit` on every identifier an expression mentions as a value. The
/// callee of a call names a function or a reward (kl.k3, correct), never a
/// step value, so `kl = kl.k3(lp, ref_lp)` does not depend on itself.
void forEachName(const Expr *expr,
                 const std::function<void(const Expr &)> &visit) {
  if (!expr)
    return;
  if (expr->kind == Expr::Kind::Name)
    visit(*expr);
  if (expr->kind != Expr::Kind::Call)
    forEachName(expr->lhs.get(), visit);
  forEachName(expr->rhs.get(), visit);
  for (const Arg &arg : expr->args)
    forEachName(arg.value.get(), visit);
}

void forEachNodeName(const Stmt &node,
                     const std::function<void(const Expr &)> &visit) {
  forEachName(node.value.get(), visit);
  for (const Setting &setting : node.settings)
    forEachName(setting.value.get(), visit);
}

/// The first `update MODEL` statement of a step, in source order.
const Stmt *firstUpdateOf(const StepDecl &step, const std::string &model) {
  for (const Stmt &node : step.nodes)
    if (node.kind == Stmt::Kind::Update && node.name == model)
      return &node;
  return nullptr;
}

std::string joinNames(const StepDecl &step, const std::vector<size_t> &nodes) {
  std::vector<std::string> names;
  for (size_t node : nodes)
    names.push_back(step.nodes[node].kind == Stmt::Kind::Update
                        ? "update " + step.nodes[node].name
                        : step.nodes[node].name);
  return quotedList(names, "and");
}

} // namespace

void Checker::checkStep(StepDecl &step) {
  StepGraph graph;
  graph.name = step.name;
  graph.decl = &step;
  StepScope scope;
  scope.step = &step;

  // Names: each parameter or statement binds a name once per step.
  for (size_t i = 0; i < step.nodes.size(); ++i) {
    Stmt &node = step.nodes[i];
    if (node.kind == Stmt::Kind::Update)
      continue;
    auto global = globals_.find(node.name);
    if (global != globals_.end()) {
      error(node.nameRange,
            "'" + node.name + "' is already defined outside the step")
          .notes.push_back(
              {global->second.nameRange, "previous definition is here"});
      continue;
    }
    auto [it, inserted] = scope.locals.emplace(node.name, i);
    if (!inserted)
      error(node.nameRange, "'" + node.name + "' is already defined in step '" +
                                step.name + "'")
          .notes.push_back({step.nodes[it->second].nameRange,
                            "previous definition is here"});
  }

  // Edges: a node depends on the local values it names; every read of a
  // model comes before that model's update.
  std::map<std::string, size_t> updates;
  for (size_t i = 0; i < step.nodes.size(); ++i)
    if (step.nodes[i].kind == Stmt::Kind::Update)
      updates.emplace(step.nodes[i].name, i);
  for (size_t i = 0; i < step.nodes.size(); ++i) {
    std::set<size_t> producers, updatesAfter;
    forEachNodeName(step.nodes[i], [&](const Expr &name) {
      auto local = scope.locals.find(name.text);
      if (local != scope.locals.end())
        producers.insert(local->second);
      auto update = updates.find(name.text);
      if (update != updates.end() && update->second != i)
        updatesAfter.insert(update->second);
    });
    for (size_t producer : producers)
      graph.edges.push_back({producer, i});
    for (size_t update : updatesAfter)
      graph.orderEdges.push_back({i, update});
  }

  // Cycles: report each group once, at its first node.
  std::vector<bool> inCycle(step.nodes.size(), false);
  // Ordering edges take part: two updates that each read the other's model
  // cannot both come after every read of their own model.
  EdgeList allEdges = graph.edges;
  allEdges.insert(allEdges.end(), graph.orderEdges.begin(),
                  graph.orderEdges.end());
  for (const std::vector<size_t> &cycle :
       findCycles(step.nodes.size(), allEdges)) {
    for (size_t node : cycle)
      inCycle[node] = true;
    const Stmt &first = step.nodes[cycle.front()];
    Diagnostic &diag =
        cycle.size() == 1
            ? error(first.nameRange,
                    "'" + first.name + "' is defined in terms of itself")
            : error(first.nameRange, "cycle in step '" + step.name +
                                         "': " + joinNames(step, cycle) +
                                         " depend on each other");
    for (size_t k = 1; k < cycle.size(); ++k)
      diag.notes.push_back(
          {step.nodes[cycle[k]].nameRange, "part of the cycle"});
    bool hasUpdate = std::any_of(cycle.begin(), cycle.end(), [&](size_t node) {
      return step.nodes[node].kind == Stmt::Kind::Update;
    });
    diag.hint =
        hasUpdate
            ? "an update runs after every read of its model; compute model "
              "reads as step values instead of inside another update's loss"
            : "a step is a dataflow graph; each value must be computable "
              "from the step's parameters";
  }
  std::vector<size_t> order =
      topologicalOrder(step.nodes.size(), allEdges, inCycle);
  if (std::find(inCycle.begin(), inCycle.end(), true) == inCycle.end())
    graph.order = order;

  // Types, in dependency order.
  std::set<std::string> updated;
  for (size_t index : order) {
    Stmt &node = step.nodes[index];
    switch (node.kind) {
    case Stmt::Kind::Param:
      checkParam(node);
      break;
    case Stmt::Kind::Assign: {
      Type type = typeExpr(*node.value, scope);
      bool produced = node.value->kind == Expr::Kind::Call;
      if (produced && type.kind == TypeKind::Rollouts)
        type.origin = node.name; // New rollouts are named by their node.
      if (type.kind == TypeKind::Loss) {
        error(node.value->range, "a loss can only be used in an update",
              "write update MODEL { loss = ... }");
        type = Type::error();
      }
      if (type.kind == TypeKind::Model || type.kind == TypeKind::Data ||
          type.kind == TypeKind::Reward) {
        error(node.value->range,
              "'" + node.name + "' would be another name for a " +
                  std::string(typeKindName(type.kind)) + "; " +
                  "step values are batches and scores");
        type = Type::error();
      }
      node.type = type;
      break;
    }
    case Stmt::Kind::Update:
      checkUpdate(step, node, updated);
      break;
    }
  }
  for (size_t i = 0; i < step.nodes.size(); ++i)
    if (inCycle[i])
      step.nodes[i].type = Type::error();
  if (updates.empty())
    warning(step.nameRange, "step '" + step.name + "' updates no model",
            "add update MODEL { loss = ... }");
  out_.steps.push_back(std::move(graph));
}

void Checker::checkParam(Stmt &param) {
  Expr &value = *param.value;
  auto notABatch = [&] {
    error(value.range,
          "a step parameter must be a batch of data, e.g. train.batch(32)");
    param.type = Type::error();
  };
  if (value.kind != Expr::Kind::Call || value.lhs->kind != Expr::Kind::Member ||
      value.lhs->lhs->kind != Expr::Kind::Name)
    return notABatch();
  const std::string &source = value.lhs->lhs->text;
  const std::string &method = value.lhs->text;
  auto it = globals_.find(source);
  if (it == globals_.end() || it->second.kind != GlobalSymbol::Kind::Data) {
    std::vector<std::string> data;
    for (const DataDecl &decl : program_.data)
      data.push_back(decl.name);
    std::string hint = didYouMean(source, data);
    error(value.lhs->lhs->range,
          it == globals_.end() ? "unknown data source '" + source + "'"
                               : "'" + source + "' is not a data source",
          hint.empty() && !data.empty()
              ? "declared data: " + quotedList(data, "and")
              : hint);
    param.type = Type::error();
    return;
  }
  markUsed(source);
  const Type &data = dataTypes_[source];
  if (data.isError()) {
    param.type = Type::error();
    return;
  }
  if (method != "batch" && method != "demos") {
    std::string hint = didYouMean(method, {"batch", "demos"});
    error(value.lhs->range, "data has no method '" + method + "'",
          hint.empty() ? "use " + source + ".batch(N)" : hint);
    param.type = Type::error();
    return;
  }
  BoundArgs args;
  if (!bindArgs(source + "." + method, value.range, value.args,
                {{"size", true, true}}, args)) {
    param.type = Type::error();
    return;
  }
  std::optional<long long> size =
      constInt(args.get("size"), "the batch size", 1, 1 << 24);
  if (!size) {
    param.type = Type::error();
    return;
  }
  Type type;
  if (method == "demos") {
    if (data.dataKind != DataKind::Prompts || !data.hasAnswers) {
      error(value.lhs->range,
            "'" + source + "' has no answers to use as demonstrations",
            "demos() works on tasks and prompt files with an 'answer' field");
      param.type = Type::error();
      return;
    }
    type.kind = TypeKind::Demos;
  } else {
    switch (data.dataKind) {
    case DataKind::Prompts:
      type.kind = TypeKind::Prompts;
      break;
    case DataKind::Preferences:
      type.kind = TypeKind::Pairs;
      break;
    case DataKind::Demonstrations:
      type.kind = TypeKind::Demos;
      break;
    case DataKind::Labeled:
      type.kind = TypeKind::Labeled;
      break;
    }
  }
  type.batch = *size;
  type.origin = param.name;
  type.prompts = param.name;
  type.hasAnswers = data.hasAnswers;
  param.type = type;
  value.type = type;
}

void Checker::checkUpdate(StepDecl &step, Stmt &update,
                          std::set<std::string> &updated) {
  auto it = globals_.find(update.name);
  const ModelInfo *model = nullptr;
  if (it == globals_.end() || it->second.kind != GlobalSymbol::Kind::Model) {
    std::vector<std::string> models;
    for (const ModelInfo &m : out_.models)
      models.push_back(m.name);
    std::string hint = didYouMean(update.name, models);
    error(update.nameRange,
          it == globals_.end()
              ? "unknown model '" + update.name + "'"
              : "'" + update.name + "' is not a model and cannot be updated",
          hint);
  } else {
    markUsed(update.name);
    model = &out_.models[it->second.index];
    if (model->frozen) {
      error(update.nameRange,
            "cannot update frozen model '" + model->name + "'",
            "frozen models keep their weights; update '" + model->frozenFrom +
                "' instead, or declare '" + model->name +
                "' as a trainable model");
      model = nullptr;
    } else if (const Stmt *first = firstUpdateOf(step, model->name);
               first != &update) {
      // Updates are checked in dependency order; report the later one in the
      // source, whichever is checked first.
      error(update.nameRange,
            "model '" + model->name + "' is updated twice in step '" +
                step.name + "'",
            "combine the losses into one update: loss = a + b")
          .notes.push_back({first->nameRange, "first updated here"});
      model = nullptr;
    } else {
      updated.insert(model->name);
      out_.models[it->second.index].updated = true;
    }
  }
  static const std::vector<std::string> keys = {"loss", "agg", "minibatch",
                                                "microbatch", "epochs"};
  const Setting *loss = nullptr;
  const Expr *minibatch = nullptr, *microbatch = nullptr;
  std::set<std::string> seen;
  for (const Setting &setting : update.settings) {
    if (!seen.insert(setting.name).second) {
      error(setting.nameRange, "setting '" + setting.name + "' is given twice");
      continue;
    }
    if (setting.name == "loss")
      loss = &setting;
    else if (setting.name == "agg")
      constChoice(setting.value.get(), "loss aggregation",
                  {"token-mean", "seq-mean-token-sum", "seq-mean-token-mean"});
    else if (setting.name == "minibatch")
      minibatch = setting.value.get();
    else if (setting.name == "microbatch")
      microbatch = setting.value.get();
    else if (setting.name == "epochs")
      constInt(setting.value.get(), "'epochs'", 1, 1000);
    else {
      std::string hint = didYouMean(setting.name, keys);
      error(setting.nameRange, "unknown update setting '" + setting.name + "'",
            hint.empty() ? "update settings: " + quotedList(keys) : hint);
    }
  }
  if (!loss) {
    error(update.nameRange, "update of '" + update.name + "' has no loss",
          "add loss = ... to the update block");
    return;
  }
  if (!model)
    return;
  StepScope scope;
  scope.step = &step;
  for (size_t i = 0; i < step.nodes.size(); ++i)
    if (step.nodes[i].kind != Stmt::Kind::Update)
      scope.locals.emplace(step.nodes[i].name, i);
  scope.updating = model;
  Type type = typeExpr(*loss->value, scope);
  if (type.isError())
    return;
  if (type.kind != TypeKind::Loss) {
    error(loss->value->range,
          "the loss must be built from loss terms, got " + type.str(),
          "for example loss = ppo_clip(old_lp, adv)");
    return;
  }
  if (type.origin.empty()) {
    error(loss->value->range, "the loss has no term computed on a batch",
          "entropy() is a bonus; add a term such as ppo_clip(old_lp, adv)");
    return;
  }
  // Batching: mini-batches split the update's sequences; micro-batches split
  // a mini-batch for gradient accumulation.
  int64_t sequences = type.sequences();
  std::string batchText = std::to_string(sequences) + " sequences";
  if (type.samples > 0)
    batchText += " (" + std::to_string(type.batch) + " prompts x " +
                 std::to_string(type.samples) + " samples)";
  // The mini-batch that micro-batches must divide: the whole batch by default.
  long long within = sequences;
  std::optional<long long> mini =
      minibatch ? constInt(minibatch, "'minibatch'", 1, 1 << 30) : std::nullopt;
  if (mini && sequences > 0) {
    within = *mini;
    if (type.dynamicBatch) {
      if (*mini > sequences)
        error(minibatch->range,
              "mini-batch " + std::to_string(*mini) +
                  " is larger than the update's batch of at most " + batchText);
    } else if (sequences % *mini != 0) {
      std::vector<int64_t> divisors;
      for (int64_t d = std::min<int64_t>(*mini * 2, sequences / 2);
           d >= 1 && divisors.size() < 2; --d)
        if (sequences % d == 0)
          divisors.push_back(d);
      std::string hint = "use a divisor of " + std::to_string(sequences);
      if (!divisors.empty()) {
        hint += ", such as " + std::to_string(divisors.back());
        if (divisors.size() > 1)
          hint += " or " + std::to_string(divisors.front());
      }
      error(minibatch->range,
            "mini-batch " + std::to_string(*mini) +
                " does not divide the update's batch of " + batchText,
            hint);
      within = sequences;
    }
  }
  if (microbatch) {
    std::optional<long long> micro =
        constInt(microbatch, "'microbatch'", 1, 1 << 30);
    if (micro && within > 0 && !type.dynamicBatch && within % *micro != 0)
      error(microbatch->range,
            "micro-batch " + std::to_string(*micro) +
                " does not divide the mini-batch of " + std::to_string(within) +
                " sequences",
            "gradient accumulation needs whole micro-batches");
  }
}

} // namespace rlg::dsl
