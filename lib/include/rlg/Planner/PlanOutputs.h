// The planner's outputs for people: a text report of the chosen plan, its
// simulated timeline as a Chrome trace, the step graph as Graphviz DOT, and
// SVG charts of the timeline and of per-phase memory.
#pragma once

#include "rlg/Planner/Strategy.h"

#include <string>

namespace rlg::planner {

/// The cluster, the strategy and its counts, the groups and their GPUs,
/// every call's layout and predicted time, memory per group and phase
/// against usable capacity, time per phase kind and per step, generated
/// tokens per second, and the best rejected alternatives. When nothing was
/// found: the error and the hint instead of the plan.
std::string planReport(const PlanProblem &problem,
                       const StrategyResult &result);

/// Chrome trace / Perfetto JSON: one named track per device group and one
/// complete ("X") event per simulated event, times in microseconds.
std::string planTimelineJson(const PlanProblem &problem, const Plan &plan,
                             const Evaluation &evaluation);

/// Graphviz DOT of one step: a node per call (id, model.kind, layout,
/// predicted seconds) inside a cluster per device group, and an edge per
/// input a call reads.
std::string planDot(const PlanProblem &problem, const Plan &plan,
                    const Evaluation &evaluation);

/// SVG Gantt chart of the simulated events: a row per device group, a bar
/// per event coloured by its kind, a time axis in seconds and a legend.
std::string planGanttSvg(const PlanProblem &problem, const Plan &plan,
                         const Evaluation &evaluation);

/// SVG chart of peak memory per GPU: for every device group and phase a bar
/// stacked by ledger entry (GiB), against the usable and the total memory
/// of the device.
std::string planMemorySvg(const PlanProblem &problem, const Plan &plan,
                          const Evaluation &evaluation);

} // namespace rlg::planner
