// Checks of the optional schedule block: colocation, call layouts, overlap.
#include "Checker.h"

#include "rlg/Support/TextDistance.h"

namespace rlg::dsl {

void Checker::checkSchedule() {
  for (size_t i = 1; i < program_.schedules.size(); ++i)
    error(program_.schedules[i].keywordRange,
          "a program has one schedule block")
        .notes.push_back(
            {program_.schedules[0].keywordRange, "the first one is here"});
  if (program_.schedules.empty())
    return;
  std::map<std::string, SourceRange> colocated;
  std::set<std::string> layouts;
  bool sawOverlap = false;
  static const std::vector<std::string> calls = {"generate", "logprob", "value",
                                                 "score", "update"};
  static const std::vector<std::string> layoutKeys = {
      "dp", "tp", "pp", "zero", "microbatch", "offload", "checkpointing"};
  for (const BlockItem &item : program_.schedules[0].items) {
    if (item.kind == BlockItem::Kind::Call && item.path.size() == 1 &&
        item.path[0] == "colocate") {
      if (item.args.size() < 2) {
        error(item.range, "colocate needs at least two models");
        continue;
      }
      for (const Arg &arg : item.args) {
        if (!arg.name.empty()) {
          error(arg.nameRange, "colocate takes model names only");
          continue;
        }
        const ModelInfo *model = modelArg(arg.value.get(), "a colocated model");
        if (!model)
          continue;
        auto [it, inserted] = colocated.emplace(model->name, arg.value->range);
        if (!inserted)
          error(arg.value->range,
                "model '" + model->name + "' is already colocated")
              .notes.push_back({it->second, "first colocated here"});
      }
      continue;
    }
    if (item.kind == BlockItem::Kind::Assign && item.path.size() == 1 &&
        item.path[0] == "overlap") {
      if (sawOverlap)
        error(item.pathRange, "'overlap' is given twice");
      sawOverlap = true;
      const Expr &value = *item.value;
      std::string mode =
          value.kind == Expr::Kind::Call ? value.lhs->dottedName() : "";
      BoundArgs args;
      if (mode == "none") {
        bindArgs(mode, value.range, value.args, {}, args);
      } else if (mode == "off_policy") {
        if (bindArgs(mode, value.range, value.args,
                     {{"staleness", false, true}}, args))
          constInt(args.get("staleness"), "'staleness'", 1, 64);
      } else if (mode == "stream") {
        if (bindArgs(mode, value.range, value.args, {{"chunks", false, true}},
                     args))
          constInt(args.get("chunks"), "'chunks'", 1, 4096);
      } else {
        std::string hint = didYouMean(mode, {"none", "off_policy", "stream"});
        error(
            value.range, "unknown overlap mode",
            hint.empty()
                ? "use none(), off_policy(staleness = 1) or stream(chunks = 4)"
                : hint);
      }
      continue;
    }
    if (item.kind == BlockItem::Kind::Block && item.path.size() == 2) {
      Expr name(Expr::Kind::Name, item.pathRange);
      name.text = item.path[0];
      const ModelInfo *model = modelArg(&name, "a layout's model");
      const std::string &call = item.path[1];
      if (std::find(calls.begin(), calls.end(), call) == calls.end()) {
        std::string hint = didYouMean(call, calls);
        error(item.pathRange, "unknown call kind '" + call + "'",
              hint.empty() ? "layouts are set per call: " + quotedList(calls)
                           : hint);
        continue;
      }
      if (model && !model->role.empty()) {
        bool fits = call == "update" ? !model->frozen
                    : call == "generate" || call == "logprob"
                        ? model->role == "policy"
                    : call == "value" ? model->role == "value"
                                      : model->role == "reward";
        if (!fits)
          error(item.pathRange,
                "'" + model->name + "' (" + (model->frozen ? "frozen " : "") +
                    model->role + " model) has no '" + call + "' calls");
        if (!layouts.insert(model->name + "." + call).second)
          error(item.pathRange,
                "layout of '" + model->name + "." + call + "' is given twice");
      }
      for (const Setting &setting : item.settings) {
        const std::string &key = setting.name;
        if (key == "dp" || key == "tp" || key == "pp")
          constInt(setting.value.get(), "'" + key + "'", 1, 1 << 16);
        else if (key == "zero")
          constInt(setting.value.get(), "the ZeRO stage", 0, 3);
        else if (key == "microbatch")
          constInt(setting.value.get(), "'microbatch'", 1, 1 << 20);
        else if (key == "offload" || key == "checkpointing")
          constBool(setting.value.get(), "'" + key + "'");
        else {
          std::string hint = didYouMean(key, layoutKeys);
          error(setting.nameRange, "unknown layout setting '" + key + "'",
                hint.empty() ? "layout settings: " + quotedList(layoutKeys)
                             : hint);
        }
      }
      continue;
    }
    error(item.pathRange, "unknown schedule item",
          "the schedule block takes colocate(a, b), MODEL.CALL { tp = 2 } and "
          "overlap = ...");
  }
}

} // namespace rlg::dsl
