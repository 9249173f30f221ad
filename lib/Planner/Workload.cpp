// Workload helpers and the checks a workload passes before planning.
#include "rlg/Planner/Workload.h"

#include <set>

namespace rlg::planner {

const char *callKindName(CallKind kind) {
  switch (kind) {
  case CallKind::Generate:
    return "generate";
  case CallKind::Logprob:
    return "logprob";
  case CallKind::Value:
    return "value";
  case CallKind::Score:
    return "score";
  case CallKind::Update:
    return "update";
  }
  return "?";
}

double Workload::generatedTokensPerStep() const {
  double tokens = 0;
  for (const CallSpec &call : calls)
    if (call.kind == CallKind::Generate)
      tokens += static_cast<double>(call.sequences * call.responseTokens);
  return tokens;
}

int Workload::findModel(const std::string &name) const {
  for (size_t i = 0; i < models.size(); ++i)
    if (models[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::vector<std::string> checkWorkload(const Workload &workload) {
  std::vector<std::string> problems;
  int modelCount = static_cast<int>(workload.models.size());
  if (workload.models.empty())
    problems.push_back("the workload has no models");
  if (workload.calls.empty())
    problems.push_back("the workload has no model calls");
  for (const ModelSpec &model : workload.models) {
    const ModelArch &arch = model.arch;
    if (arch.layers <= 0 || arch.hidden <= 0 || arch.ffn <= 0 ||
        arch.heads <= 0 || arch.kvHeads <= 0 || arch.vocab <= 0)
      problems.push_back("model " + model.name +
                         ": every architecture number must be positive");
    else if (arch.hidden % arch.heads != 0 || arch.heads % arch.kvHeads != 0)
      problems.push_back(
          "model " + model.name +
          ": heads must divide hidden and kv_heads divide heads");
  }
  for (size_t i = 0; i < workload.calls.size(); ++i) {
    const CallSpec &call = workload.calls[i];
    std::string where = "call " + call.id + ": ";
    if (call.model < 0 || call.model >= modelCount) {
      problems.push_back(where + "names no model");
      continue;
    }
    if (call.sequences <= 0 || call.promptTokens < 0 ||
        call.responseTokens < 0 || call.sequenceTokens() <= 0)
      problems.push_back(where + "needs sequences > 0 and tokens > 0");
    if (call.batch <= 0 || call.sequences % call.batch != 0)
      problems.push_back(where + "its batch must divide its sequences");
    if (call.kind == CallKind::Update &&
        (call.minibatch <= 0 || call.epochs <= 0))
      problems.push_back(where + "an update needs minibatch and epochs > 0");
    if (call.kind == CallKind::Update && !workload.models[call.model].trainable)
      problems.push_back(where + "updates a model not marked trainable");
    for (int input : call.inputs)
      if (input < 0 || input >= static_cast<int>(i))
        problems.push_back(where + "reads a call that does not come before it");
  }
  for (const LayoutPin &pin : workload.pins)
    if (pin.model < 0 || pin.model >= modelCount)
      problems.push_back("a layout pin names no model");
  std::set<int> grouped;
  for (const std::vector<int> &group : workload.colocate)
    for (int model : group) {
      if (model < 0 || model >= modelCount)
        problems.push_back("a colocate group names no model");
      else if (!grouped.insert(model).second)
        problems.push_back("model " + workload.models[model].name +
                           " is in two colocate groups");
    }
  return problems;
}

} // namespace rlg::planner
