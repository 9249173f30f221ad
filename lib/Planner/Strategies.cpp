// The registry of placement strategies. A new strategy is a function from
// PlanProblem to StrategyResult in its own file, and one line below.
#include "rlg/Planner/Strategy.h"

#include "rlg/Planner/PlanSearch.h"

namespace rlg::planner {

StrategyResult colocateStrategy(const PlanProblem &problem);
StrategyResult splitStrategy(const PlanProblem &problem);
StrategyResult standaloneStrategy(const PlanProblem &problem);
StrategyResult searchStrategy(const PlanProblem &problem);
StrategyResult exhaustiveStrategy(const PlanProblem &problem);

const std::vector<StrategyInfo> &strategies() {
  static const std::vector<StrategyInfo> registry = {
      {"search",
       "every partition of the models and node-aligned group size, the "
       "fastest layouts per group, scored by simulation",
       searchStrategy},
      {"colocate",
       "all models share all devices (DeepSpeed-Chat, verl's "
       "default)",
       colocateStrategy},
      {"split",
       "the generating policy and its reference on one group, the "
       "critic and reward models on another (NeMo-Aligner)",
       splitStrategy},
      {"standalone", "every model on devices of its own (OpenRLHF)",
       standaloneStrategy},
      {"exhaustive",
       "every plan of the decision space simulated (small "
       "problems only; the search's reference)",
       exhaustiveStrategy},
  };
  return registry;
}

const StrategyInfo *findStrategy(const std::string &name) {
  for (const StrategyInfo &strategy : strategies())
    if (strategy.name == name)
      return &strategy;
  return nullptr;
}

StrategyResult runStrategy(const std::string &name,
                           const PlanProblem &problem) {
  StrategyResult result;
  const StrategyInfo *strategy = findStrategy(name);
  if (!strategy) {
    result.error = "unknown strategy '" + name + "'";
    std::string known;
    for (const StrategyInfo &info : strategies())
      known += (known.empty() ? "" : ", ") + info.name;
    result.hint = "known strategies: " + known;
    return result;
  }
  std::vector<std::string> problems = checkWorkload(problem.workload);
  if (!problems.empty()) {
    result.error = "the workload is invalid: " + problems.front();
    return result;
  }
  result = strategy->run(problem);
  if (!result.found && result.hint.empty())
    result.hint = infeasibleHint(problem, name);
  return result;
}

} // namespace rlg::planner
