// The placements systems use by hand, as strategies: colocate, split and
// standalone, each with the best group sizes and layouts for its partition.
#include "rlg/Planner/PlanSearch.h"
#include "rlg/Planner/SearchSpace.h"

#include <numeric>

namespace rlg::planner {

namespace {

/// Runs the search on one partition, or explains why the partition breaks
/// a colocate pin.
StrategyResult searchOne(const PlanProblem &problem, const std::string &name,
                         std::vector<std::vector<int>> partition) {
  std::vector<int> blockOf(problem.workload.models.size(), -1);
  for (size_t b = 0; b < partition.size(); ++b)
    for (int model : partition[b])
      blockOf[model] = static_cast<int>(b);
  for (const std::vector<int> &group : problem.workload.colocate)
    for (int model : group)
      if (blockOf[model] != blockOf[group.front()]) {
        StrategyResult result;
        result.error = "the " + name + " placement separates " +
                       problem.workload.models[group.front()].name + " and " +
                       problem.workload.models[model].name +
                       ", which the schedule colocates";
        result.hint = "drop the colocate pin, or use --strategy search";
        return result;
      }
  PlanSearch search(problem);
  return search.searchPartitions(name, {partition});
}

bool generates(const Workload &workload, int model) {
  for (const CallSpec &call : workload.calls)
    if (call.model == model && call.kind == CallKind::Generate)
      return true;
  return false;
}

/// A frozen model that only computes log-probabilities: a reference.
bool isReference(const Workload &workload, int model) {
  if (workload.models[model].trainable)
    return false;
  for (const CallSpec &call : workload.calls)
    if (call.model == model && call.kind != CallKind::Logprob)
      return false;
  return true;
}

} // namespace

StrategyResult colocateStrategy(const PlanProblem &problem) {
  std::vector<int> all(problem.workload.models.size());
  std::iota(all.begin(), all.end(), 0);
  return searchOne(problem, "colocate", {all});
}

StrategyResult standaloneStrategy(const PlanProblem &problem) {
  std::vector<std::vector<int>> partition;
  for (size_t m = 0; m < problem.workload.models.size(); ++m)
    partition.push_back({static_cast<int>(m)});
  return searchOne(problem, "standalone", partition);
}

StrategyResult splitStrategy(const PlanProblem &problem) {
  const Workload &workload = problem.workload;
  std::vector<int> policySide, otherSide;
  for (size_t m = 0; m < workload.models.size(); ++m) {
    int model = static_cast<int>(m);
    bool policy = generates(workload, model) || isReference(workload, model);
    (policy ? policySide : otherSide).push_back(model);
  }
  std::vector<std::vector<int>> partition{policySide};
  if (!otherSide.empty())
    partition.push_back(otherSide);
  if (policySide.empty())
    partition = {otherSide};
  return searchOne(problem, "split", partition);
}

StrategyResult searchStrategy(const PlanProblem &problem) {
  PlanSearch search(problem);
  return search.searchPartitions("search", modelPartitions(problem.workload));
}

StrategyResult exhaustiveStrategy(const PlanProblem &problem) {
  return exhaustiveSearch(problem);
}

} // namespace rlg::planner
