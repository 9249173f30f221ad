// Scores a plan: per-call costs and memory from the cost model, then an
// event-driven simulation of several unrolled steps on the device groups,
// with overlap from disjoint groups, streamed generation and off-policy
// steps where the workload allows them.
#pragma once

#include "rlg/Planner/Plan.h"
#include "rlg/Planner/Workload.h"

#include <string>
#include <vector>

namespace rlg::planner {

/// What one call costs on its layout, per step.
struct CallCost {
  double seconds = 0;         ///< the call itself
  double computeSeconds = 0;  ///< of which FLOP- or memory-bound work
  double commSeconds = 0;     ///< of which collectives
  MemoryLedger memory;        ///< one device's peak while it runs
  int64_t waves = 1;          ///< generate: rounds its batch needs
  std::string problem;        ///< why it cannot run; empty when it can
};

/// One interval on one device group's timeline.
struct SimEvent {
  enum class Kind { Call, Reshard, Offload, Onload, Transfer } kind;
  int group = 0;
  int iteration = 0;
  int call = -1;  ///< Call/Transfer: the call (Transfer: the reading call)
  int model = -1; ///< Reshard/Offload/Onload: the model
  int chunk = -1; ///< Stream: the piece of a chunked call, else -1
  double start = 0, end = 0;
  std::string label; ///< "actor.generate", "reshard actor", ...
};

/// Peak memory of one device of a group during one phase.
struct PhaseMemory {
  int group = 0;
  std::string phase; ///< the call's id, e.g. "gen"
  MemoryLedger ledger;
};

struct Evaluation {
  bool feasible = false;
  /// Why not, when infeasible: "group {actor, ref} x 8 during update:
  /// needs 93.1 GiB of 73.6 GiB usable: optimizer 50.2, ...".
  std::string reason;
  double stepSeconds = 0;
  double tokensPerSecond = 0; ///< generated tokens per second
  std::vector<CallCost> calls; ///< one per workload call
  std::vector<SimEvent> events;
  std::vector<PhaseMemory> memory;
  /// Seconds per step each group is busy, one per plan group.
  std::vector<double> groupBusySeconds;
};

/// The cost of `call` under the layout its model has in `plan`.
CallCost callCost(const PlanProblem &problem, const Plan &plan, int call);

/// Memory and structure checks only (no simulation): the first reason the
/// plan cannot run, or empty.
std::string infeasibility(const PlanProblem &problem, const Plan &plan);

/// Checks, costs and simulates `plan`.
Evaluation evaluatePlan(const PlanProblem &problem, const Plan &plan);

} // namespace rlg::planner
