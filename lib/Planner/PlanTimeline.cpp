// The simulated timeline as a Chrome trace (chrome://tracing, Perfetto).
#include "PlanLabels.h"
#include "rlg/Planner/PlanOutputs.h"

#include <nlohmann/json.hpp>

namespace rlg::planner {

namespace {

using Json = nlohmann::ordered_json;

constexpr int kProcessId = 1;

Json metadata(const char *name, int thread, Json args) {
  return Json{{"name", name},
              {"ph", "M"},
              {"pid", kProcessId},
              {"tid", thread},
              {"args", args}};
}

Json completeEvent(const PlanProblem &problem, const SimEvent &event) {
  Json args = {{"iteration", event.iteration}};
  if (event.chunk >= 0)
    args["chunk"] = event.chunk;
  const auto &calls = problem.workload.calls;
  if (event.call >= 0 && event.call < static_cast<int>(calls.size())) {
    args["call"] = calls[event.call].id;
    args["callKind"] = callKindName(calls[event.call].kind);
  }
  const auto &models = problem.workload.models;
  if (event.model >= 0 && event.model < static_cast<int>(models.size()))
    args["model"] = models[event.model].name;
  return Json{{"name", event.label},
              {"cat", eventKindName(event.kind)},
              {"ph", "X"},
              {"pid", kProcessId},
              {"tid", event.group},
              {"ts", event.start * 1e6},
              {"dur", (event.end - event.start) * 1e6},
              {"args", args}};
}

} // namespace

std::string planTimelineJson(const PlanProblem &problem, const Plan &plan,
                             const Evaluation &evaluation) {
  Json events = Json::array();
  std::string process = "rlg plan";
  if (!plan.strategy.empty())
    process += " (" + plan.strategy + ")";
  events.push_back(metadata("process_name", 0, {{"name", process}}));
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    int group = static_cast<int>(g);
    events.push_back(metadata("thread_name", group,
                              {{"name", groupTitle(problem, plan, group)}}));
    events.push_back(
        metadata("thread_sort_index", group, {{"sort_index", group}}));
  }
  for (const SimEvent &event : evaluation.events)
    events.push_back(completeEvent(problem, event));
  Json trace = {{"traceEvents", events},
                {"displayTimeUnit", "ms"},
                {"otherData",
                 {{"strategy", plan.strategy},
                  {"stepSeconds", evaluation.stepSeconds},
                  {"tokensPerSecond", evaluation.tokensPerSecond}}}};
  return trace.dump(1) + "\n";
}

} // namespace rlg::planner
