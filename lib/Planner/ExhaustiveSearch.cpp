// Every plan of the decision space, simulated one by one: the reference
// the search is checked against on small problems.
#include "rlg/Planner/PlanSearch.h"
#include "rlg/Planner/SearchSpace.h"

#include <fmt/format.h>

#include <functional>
#include <limits>

namespace rlg::planner {

StrategyResult exhaustiveSearch(const PlanProblem &problem, int64_t limit) {
  StrategyResult result;
  const Workload &workload = problem.workload;
  std::vector<int64_t> sizes = groupSizes(problem.cluster);
  int64_t total = problem.cluster.deviceCount();
  double bestStep = std::numeric_limits<double>::infinity();
  bool tooLarge = false;

  auto tryPlacement = [&](Plan &plan) {
    std::vector<std::vector<ModelLayout>> options(workload.models.size());
    int64_t count = 1;
    for (const DeviceGroup &group : plan.groups)
      for (int model : group.models) {
        options[model] = layoutCandidates(problem, model, group.deviceCount);
        count *= static_cast<int64_t>(options[model].size());
        if (count == 0)
          return;
      }
    if (result.plansEvaluated + count > limit) {
      tooLarge = true;
      return;
    }
    plan.layouts.assign(workload.models.size(), ModelLayout{});
    std::function<void(size_t)> choose = [&](size_t m) {
      if (tooLarge)
        return;
      if (m == workload.models.size()) {
        ++result.plansEvaluated;
        Evaluation evaluation = evaluatePlan(problem, plan);
        if (!evaluation.feasible) {
          ++result.plansPruned;
          if (result.error.empty())
            result.error = "no plan fits: " + evaluation.reason;
          return;
        }
        if (evaluation.stepSeconds < bestStep) {
          bestStep = evaluation.stepSeconds;
          result.best = {plan, std::move(evaluation)};
          result.found = true;
        }
        return;
      }
      for (const ModelLayout &layout : options[m]) {
        plan.layouts[m] = layout;
        choose(m + 1);
      }
    };
    choose(0);
  };

  for (const std::vector<std::vector<int>> &blocks :
       modelPartitions(workload)) {
    std::vector<int64_t> chosen(blocks.size(), 0);
    std::function<void(size_t, int64_t)> assign = [&](size_t b, int64_t used) {
      if (tooLarge)
        return;
      if (b == blocks.size()) {
        Plan plan;
        plan.strategy = "exhaustive";
        if (placeGroups(problem.cluster, blocks, chosen, plan.groups))
          tryPlacement(plan);
        return;
      }
      for (int64_t size : sizes) {
        if (used + size > total)
          break;
        chosen[b] = size;
        assign(b + 1, used + size);
      }
    };
    assign(0, 0);
  }
  if (tooLarge) {
    result = StrategyResult{};
    result.error = fmt::format(
        "the decision space holds more than {} plans, too many to enumerate",
        limit);
    result.hint = "use --strategy search";
    return result;
  }
  if (result.found)
    result.error.clear();
  return result;
}

} // namespace rlg::planner
