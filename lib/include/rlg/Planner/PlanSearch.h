// The search behind every strategy: for each allowed partition of the
// models and each node-aligned size of its groups, the fastest layouts
// per group (branch and bound over Pareto-pruned layouts), then the
// simulated step time picks the plan.
#pragma once

#include "rlg/Planner/Strategy.h"

#include <map>
#include <utility>

namespace rlg::planner {

/// The fastest layouts of a group's models on its devices.
struct GroupChoice {
  bool feasible = false;
  std::vector<ModelLayout> layouts; ///< aligned with the group's models
  double busySeconds = 0;           ///< its calls, reshards and offloads
  std::string reason;               ///< why nothing fits, when infeasible
};

/// One layout of one model on a group size, with what the bound needs.
struct LayoutCandidate {
  ModelLayout layout;
  double fixedSeconds = 0;    ///< non-generate calls, reshard, offload
  double generateSeconds = 0; ///< generation with the group to itself
  double persistentBytes = 0; ///< kept on the device between its calls
  double needBytes = 0;       ///< the least any of its calls needs
  double optimistic() const { return fixedSeconds + generateSeconds; }
};

class PlanSearch {
public:
  explicit PlanSearch(const PlanProblem &problem);

  /// Memoised per (models, devices).
  const GroupChoice &bestGroup(const std::vector<int> &models,
                               int64_t devices);

  /// Searches `partitions` over every group size; `strategy` names the
  /// result.
  StrategyResult
  searchPartitions(const std::string &strategy,
                   const std::vector<std::vector<std::vector<int>>> &partitions);

private:
  using Candidate = LayoutCandidate;
  const PlanProblem &problem;
  std::map<std::pair<int64_t, int64_t>, std::vector<Candidate>> candidates;
  std::map<std::pair<uint64_t, int64_t>, GroupChoice> groups;

  const std::vector<Candidate> &candidatesFor(int model, int64_t devices,
                                              std::string &why);
  GroupChoice solveGroup(const std::vector<int> &models, int64_t devices);
};

/// Every plan of the decision space, each simulated: the reference the
/// search is tested against on small instances. Fails (found = false,
/// error set) when the space holds more than `limit` plans.
StrategyResult exhaustiveSearch(const PlanProblem &problem,
                                int64_t limit = 200000);

/// The hint for a problem nothing fits: the smallest cluster of the same
/// nodes that `strategy` fits, or the pins to relax.
std::string infeasibleHint(const PlanProblem &problem,
                           const std::string &strategy);

} // namespace rlg::planner
