// Placement strategies, pluggable by name: each turns a PlanProblem into
// ranked plans. Adding one is one file and one registration line in
// lib/Planner/Strategies.cpp (docs/strategies.md).
#pragma once

#include "rlg/Planner/Simulation.h"

#include <functional>
#include <string>
#include <vector>

namespace rlg::planner {

/// A plan with its score.
struct ScoredPlan {
  Plan plan;
  Evaluation evaluation;
};

/// A plan that was considered and not chosen, and why.
struct Rejected {
  std::string description; ///< partition and layouts
  std::string reason;      ///< "2.31 s/step, 18 % slower" or the memory reason
  double stepSeconds = 0;  ///< 0 when infeasible
};

struct StrategyResult {
  /// The best plan; evaluation.feasible is false when nothing fit, and
  /// then `error` says why and `hint` what would fit.
  ScoredPlan best;
  bool found = false;
  std::string error;
  std::string hint;
  /// The best alternatives that lost, best first (at most 3), and counts.
  std::vector<Rejected> runnersUp;
  int64_t plansEvaluated = 0;
  int64_t plansPruned = 0;
};

using StrategyFn = std::function<StrategyResult(const PlanProblem &)>;

struct StrategyInfo {
  std::string name;
  std::string summary;
  StrategyFn run;
};

/// Every registered strategy, in registration order.
const std::vector<StrategyInfo> &strategies();

/// The strategy called `name`, or null.
const StrategyInfo *findStrategy(const std::string &name);

/// Runs the strategy called `name`; an unknown name is an error result
/// listing the known ones.
StrategyResult runStrategy(const std::string &name, const PlanProblem &problem);

} // namespace rlg::planner
