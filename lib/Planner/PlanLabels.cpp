// Names and colours the planner's outputs share.
#include "PlanLabels.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace rlg::planner {

std::string deviceRange(const DeviceGroup &group) {
  if (group.deviceCount == 1)
    return fmt::format("GPU {}", group.firstDevice);
  return fmt::format("GPUs {}-{}", group.firstDevice,
                     group.firstDevice + group.deviceCount - 1);
}

std::string groupModelNames(const PlanProblem &problem, const Plan &plan,
                            int group) {
  std::string names;
  for (int model : plan.groups[group].models) {
    if (!names.empty())
      names += ", ";
    names += problem.workload.models[model].name;
  }
  return names;
}

std::string groupTitle(const PlanProblem &problem, const Plan &plan,
                       int group) {
  return fmt::format("group {}: {} ({})", group,
                     groupModelNames(problem, plan, group),
                     deviceRange(plan.groups[group]));
}

std::string callTitle(const PlanProblem &problem, int call) {
  const CallSpec &spec = problem.workload.calls[call];
  return problem.workload.models[spec.model].name + "." +
         callKindName(spec.kind);
}

TrainLayout callLayout(const PlanProblem &problem, const Plan &plan, int call) {
  const CallSpec &spec = problem.workload.calls[call];
  const ModelLayout &model = plan.layouts[spec.model];
  int group = plan.groupOf(spec.model);
  int64_t devices = group >= 0 ? plan.groups[group].deviceCount : 1;
  TrainLayout layout = model.train;
  if (spec.kind == CallKind::Generate) {
    layout = TrainLayout();
    layout.tp = std::max<int64_t>(1, model.generateTp);
  } else if (!problem.workload.models[spec.model].trainable) {
    layout.zero = 0;
    layout.checkpointing = false;
  } else if (spec.kind != CallKind::Update) {
    layout.checkpointing = false;
  }
  layout.dp = std::max<int64_t>(1, devices / (layout.tp * layout.pp));
  return layout;
}

std::string describeCallLayout(const PlanProblem &problem, const Plan &plan,
                               int call) {
  const CallSpec &spec = problem.workload.calls[call];
  TrainLayout layout = callLayout(problem, plan, call);
  std::string text =
      spec.kind == CallKind::Generate
          ? fmt::format("dp{} tp{} (generation)", layout.dp, layout.tp)
          : describeLayout(layout);
  if (plan.layouts[spec.model].offload)
    text += " offload";
  return text;
}

PhaseKind phaseKindOf(CallKind kind) {
  switch (kind) {
  case CallKind::Generate:
    return PhaseKind::Generation;
  case CallKind::Update:
    return PhaseKind::Training;
  default:
    return PhaseKind::Inference;
  }
}

const char *phaseKindName(PhaseKind kind) {
  switch (kind) {
  case PhaseKind::Generation:
    return "generation";
  case PhaseKind::Inference:
    return "inference";
  case PhaseKind::Training:
    return "training";
  }
  return "?";
}

const char *eventKindName(SimEvent::Kind kind) {
  switch (kind) {
  case SimEvent::Kind::Call:
    return "call";
  case SimEvent::Kind::Reshard:
    return "reshard";
  case SimEvent::Kind::Offload:
    return "offload";
  case SimEvent::Kind::Onload:
    return "onload";
  case SimEvent::Kind::Transfer:
    return "transfer";
  }
  return "?";
}

std::string eventColourKey(const PlanProblem &problem, const SimEvent &event) {
  const auto &calls = problem.workload.calls;
  if (event.kind == SimEvent::Kind::Call && event.call >= 0 &&
      event.call < static_cast<int>(calls.size()))
    return callKindName(calls[event.call].kind);
  return eventKindName(event.kind);
}

namespace {

// Tableau 10: distinct to colour-blind readers and readable under labels.
const std::vector<std::pair<std::string, const char *>> &palette() {
  static const std::vector<std::pair<std::string, const char *>> colours = {
      {"generate", "#4e79a7"}, {"logprob", "#59a14f"}, {"value", "#76b7b2"},
      {"score", "#edc948"},    {"update", "#e15759"},  {"reshard", "#b07aa1"},
      {"offload", "#9c755f"},  {"onload", "#ff9da7"},  {"transfer", "#f28e2b"},
  };
  return colours;
}

} // namespace

const char *colourOfKey(const std::string &key) {
  for (const auto &[name, colour] : palette())
    if (name == key)
      return colour;
  return "#bab0ac";
}

const std::vector<std::string> &colourKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> names;
    for (const auto &entry : palette())
      names.push_back(entry.first);
    return names;
  }();
  return keys;
}

} // namespace rlg::planner
