// What would make an infeasible problem fit: relaxing the pins, or the
// smallest cluster of the same nodes.
#include "rlg/Planner/PlanSearch.h"

#include <fmt/format.h>

namespace rlg::planner {

namespace {

/// Clusters up to this many devices are tried.
constexpr int64_t kLargestCluster = 4096;

bool fits(const PlanProblem &problem, const StrategyInfo &strategy) {
  return strategy.run(problem).found;
}

} // namespace

std::string infeasibleHint(const PlanProblem &problem,
                           const std::string &name) {
  const StrategyInfo *strategy = findStrategy(name);
  if (!strategy || name == "exhaustive")
    return "";
  if (!problem.workload.pins.empty()) {
    PlanProblem unpinned = problem;
    unpinned.workload.pins.clear();
    if (fits(unpinned, *strategy))
      return "the schedule's layout pins cannot be met on this cluster; "
             "without them a plan fits: relax or remove the pins";
  }
  PlanProblem larger = problem;
  int64_t perNode = problem.cluster.devicesPerNode;
  int64_t failing = problem.cluster.nodes;
  int64_t fitting = 0;
  for (int64_t nodes = failing * 2; nodes * perNode <= kLargestCluster;
       nodes *= 2) {
    larger.cluster.nodes = nodes;
    if (fits(larger, *strategy)) {
      fitting = nodes;
      break;
    }
    failing = nodes;
  }
  if (fitting == 0)
    return fmt::format(
        "no cluster of these devices up to {} fits it with the {} strategy; "
        "use fewer or shorter sequences per step, smaller models, or "
        "devices with more memory",
        kLargestCluster, name);
  // The smallest node count between the last that failed and the first
  // that fit.
  while (fitting - failing > 1) {
    int64_t middle = (failing + fitting) / 2;
    larger.cluster.nodes = middle;
    (fits(larger, *strategy) ? fitting : failing) = middle;
  }
  return fmt::format("the smallest cluster of these nodes that fits it: {} "
                     "node{} x {} {} ({} devices)",
                     fitting, fitting == 1 ? "" : "s", perNode,
                     problem.cluster.device.name, fitting * perNode);
}

} // namespace rlg::planner
