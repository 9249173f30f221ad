// Checks of the run block: steps or stages, seed, eval and checkpoints.
#include "Checker.h"

#include "rlg/Support/TextDistance.h"

#include <limits>

namespace rlg::dsl {

namespace {
constexpr long long kIntMax = std::numeric_limits<long long>::max();
std::string itemName(const BlockItem &item) {
  std::string name;
  for (const std::string &part : item.path)
    name += (name.empty() ? "" : ".") + part;
  return name;
}
} // namespace

void Checker::checkRun() {
  SourceRange fileStart{{program_.bufferId, 0}, 0};
  if (program_.runs.empty()) {
    if (!program_.steps.empty())
      error(fileStart, "the program has no run block",
            "add run { steps = 100 } to say how long to train");
    return;
  }
  for (size_t i = 1; i < program_.runs.size(); ++i)
    error(program_.runs[i].keywordRange, "a program has one run block")
        .notes.push_back(
            {program_.runs[0].keywordRange, "the first run block is here"});
  const ItemBlock &run = program_.runs[0];
  static const std::vector<std::string> items = {"steps", "seed", "stage",
                                                 "eval", "checkpoint"};
  const BlockItem *steps = nullptr;
  std::vector<const BlockItem *> stages;
  bool stageUnresolved = false; // Then "never run" may only echo that error.
  std::set<std::string> seen;
  for (const BlockItem &item : run.items) {
    std::string name = itemName(item);
    bool isAssign = item.kind == BlockItem::Kind::Assign;
    bool isCall = item.kind == BlockItem::Kind::Call;
    if (name == "steps" && isAssign) {
      steps = &item;
      constInt(item.value.get(), "'steps'", 1, 100000000);
    } else if (name == "seed" && isAssign) {
      constInt(item.value.get(), "'seed'", 0, kIntMax);
    } else if (name == "stage" && isCall) {
      stages.push_back(&item);
      BoundArgs args;
      if (!bindArgs("stage", item.range, item.args,
                    {{"step", true, true}, {"steps", false, true}}, args))
        continue;
      const Expr *step = args.get("step");
      constInt(args.get("steps"), "'steps'", 1, 100000000);
      auto it = step->kind == Expr::Kind::Name ? globals_.find(step->text)
                                               : globals_.end();
      if (it == globals_.end() || it->second.kind != GlobalSymbol::Kind::Step) {
        std::vector<std::string> names;
        for (const StepDecl &decl : program_.steps)
          names.push_back(decl.name);
        std::string hint =
            step->kind == Expr::Kind::Name ? didYouMean(step->text, names) : "";
        error(step->range, "stage must name a step",
              hint.empty() && !names.empty()
                  ? "steps: " + quotedList(names, "and")
                  : hint);
        stageUnresolved = true;
        continue;
      }
      stepsRun_.insert(step->text);
    } else if (name == "eval" && isCall) {
      BoundArgs args;
      if (!bindArgs("eval", item.range, item.args,
                    {{"data", true, true},
                     {"every", false, false},
                     {"k", false, false},
                     {"temperature", false, false},
                     {"max_tokens", false, false},
                     {"model", false, false}},
                    args))
        continue;
      const Expr *data = args.get("data");
      auto it = data->kind == Expr::Kind::Name ? globals_.find(data->text)
                                               : globals_.end();
      if (data->kind == Expr::Kind::Name && it == globals_.end()) {
        std::vector<std::string> names;
        for (const DataDecl &decl : program_.data)
          names.push_back(decl.name);
        std::string hint = didYouMean(data->text, names);
        error(data->range, "unknown data source '" + data->text + "'",
              hint.empty() && !names.empty()
                  ? "declared data: " + quotedList(names, "and")
                  : hint);
      } else if (it == globals_.end() ||
                 it->second.kind != GlobalSymbol::Kind::Data) {
        error(data->range, "eval needs a data source of prompts");
      } else {
        markUsed(data->text);
        const Type &type = dataTypes_[data->text];
        if (!type.isError() &&
            (type.dataKind != DataKind::Prompts || !type.hasAnswers))
          error(data->range,
                "eval needs prompts with answers; '" + data->text + "' has " +
                    (type.dataKind == DataKind::Prompts
                         ? std::string("no answers")
                         : dataKindName(type.dataKind)),
                "use a task or a jsonl file with an 'answer' field");
      }
      if (args.has("every"))
        constInt(args.get("every"), "'every'", 1, kIntMax);
      if (args.has("k"))
        constInt(args.get("k"), "'k'", 1, 1024);
      if (args.has("temperature"))
        constFloat(args.get("temperature"), "'temperature'", 0, 100);
      if (args.has("max_tokens"))
        constInt(args.get("max_tokens"), "'max_tokens'", 1, 1 << 20);
      if (const Expr *model = args.get("model")) {
        const ModelInfo *info = modelArg(model, "eval's model");
        if (info && !info->role.empty() && info->role != "policy")
          error(model->range,
                "eval generates answers, so it needs a policy model");
      } else {
        std::vector<std::string> policies;
        bool rolesKnown = true; // A rejected role was reported already.
        for (const ModelInfo &m : out_.models) {
          rolesKnown &= !m.role.empty();
          if (m.role == "policy" && !m.frozen)
            policies.push_back(m.name);
        }
        if (policies.size() != 1 && rolesKnown)
          error(item.pathRange,
                policies.empty()
                    ? "eval needs a trainable policy model"
                    : "eval does not know which policy to evaluate",
                policies.empty()
                    ? ""
                    : "name it: eval(..., model = " + policies[0] + ")");
      }
    } else if (name == "checkpoint" && isCall) {
      BoundArgs args;
      if (!bindArgs("checkpoint", item.range, item.args,
                    {{"every", false, true}, {"dir", false, false}}, args))
        continue;
      constInt(args.get("every"), "'every'", 1, kIntMax);
      if (args.has("dir"))
        constString(args.get("dir"), "'dir'");
    } else {
      std::string hint = didYouMean(name, items);
      error(item.pathRange, "unknown run item '" + name + "'",
            hint.empty() ? "the run block takes steps = N, seed = N, "
                           "stage(...), eval(...) "
                           "and checkpoint(...)"
                         : hint + (isAssign || isCall ? "" : ""));
      continue;
    }
    if ((name == "steps" || name == "seed") && !seen.insert(name).second)
      error(item.pathRange, "'" + name + "' is given twice");
  }
  if (steps && !stages.empty()) {
    error(steps->pathRange,
          "give either 'steps' or stage(...) items, not both");
  } else if (steps) {
    if (program_.steps.size() > 1)
      error(steps->pathRange,
            "'steps' is ambiguous: the program has " +
                std::to_string(program_.steps.size()) + " steps",
            "run each with stage(NAME, steps = N), in order");
    for (const StepDecl &decl : program_.steps)
      stepsRun_.insert(decl.name);
  } else if (stages.empty()) {
    error(run.keywordRange, "the run block does not say how many steps to run",
          "add steps = N, or stage(NAME, steps = N) for each step");
  }
  for (const StepDecl &decl : program_.steps)
    if (!stepsRun_.count(decl.name) && !stages.empty() && !stageUnresolved)
      warning(decl.nameRange, "step '" + decl.name + "' is never run",
              "add stage(" + decl.name + ", steps = N) to the run block");
}

} // namespace rlg::dsl
