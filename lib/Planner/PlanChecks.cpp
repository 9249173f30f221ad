// Structure and memory checks of a plan: the first reason it cannot run.
#include "rlg/Planner/CallCosts.h"
#include "rlg/Planner/MemoryFit.h"

#include <fmt/format.h>

namespace rlg::planner {

namespace {

std::string groupName(const PlanProblem &problem, const DeviceGroup &group) {
  std::string names;
  for (int model : group.models)
    names += (names.empty() ? "" : ", ") + problem.workload.models[model].name;
  return fmt::format("{{{}}} x {}", names, group.deviceCount);
}

/// The layout `call` runs with: dp, tp, pp.
void callDegrees(const PlanProblem &problem, const Plan &plan, int call,
                 int64_t &dp, int64_t &tp, int64_t &pp, int64_t &micro) {
  const CallSpec &spec = problem.workload.calls[call];
  const ModelLayout &layout = plan.layouts[spec.model];
  int64_t devices = plan.groups[plan.groupOf(spec.model)].deviceCount;
  if (spec.kind == CallKind::Generate) {
    tp = layout.generateTp;
    pp = 1;
    micro = 0;
  } else {
    tp = layout.train.tp;
    pp = layout.train.pp;
    micro = layout.train.microBatch;
  }
  dp = devices / (tp * pp);
}

std::string checkStructure(const PlanProblem &problem, const Plan &plan) {
  const Workload &workload = problem.workload;
  if (plan.layouts.size() != workload.models.size())
    return "the plan lays out a different number of models";
  int64_t end = 0;
  for (const DeviceGroup &group : plan.groups) {
    if (group.deviceCount <= 0 || group.firstDevice < end)
      return "device groups overlap or are empty";
    end = group.firstDevice + group.deviceCount;
  }
  if (end > problem.cluster.deviceCount())
    return fmt::format("the plan uses {} devices; the cluster has {}", end,
                       problem.cluster.deviceCount());
  for (size_t m = 0; m < workload.models.size(); ++m) {
    int count = 0;
    for (const DeviceGroup &group : plan.groups)
      for (int model : group.models)
        count += model == static_cast<int>(m);
    if (count != 1)
      return "model " + workload.models[m].name +
             " is not in exactly one device group";
  }
  for (const std::vector<int> &colocated : workload.colocate)
    for (int model : colocated)
      if (plan.groupOf(model) != plan.groupOf(colocated.front()))
        return "colocated models " + workload.models[colocated.front()].name +
               " and " + workload.models[model].name + " are apart";
  for (size_t c = 0; c < workload.calls.size(); ++c) {
    const CallSpec &spec = workload.calls[c];
    int64_t devices = plan.groups[plan.groupOf(spec.model)].deviceCount;
    int64_t dp, tp, pp, micro;
    callDegrees(problem, plan, static_cast<int>(c), dp, tp, pp, micro);
    if (tp * pp <= 0 || devices % (tp * pp) != 0)
      return fmt::format("{}: tp {} x pp {} does not divide its {} devices",
                         spec.id, tp, pp, devices);
    if (spec.batch % dp != 0)
      return fmt::format("{}: dp {} does not divide its batch of {}", spec.id,
                         dp, spec.batch);
    if (micro > 0 && spec.batch % (dp * micro) != 0)
      return fmt::format(
          "{}: micro-batch {} x dp {} does not divide its batch of {}", spec.id,
          micro, dp, spec.batch);
    if (pp > problem.workload.models[spec.model].arch.layers)
      return fmt::format("{}: pp {} exceeds the model's layers", spec.id, pp);
  }
  return "";
}

} // namespace

double othersResidentBytes(const PlanProblem &problem, const Plan &plan,
                           int model) {
  const DeviceGroup &group = plan.groups[plan.groupOf(model)];
  double bytes = 0;
  for (int other : group.models)
    if (other != model)
      bytes +=
          residentMemory(problem, other, plan.layouts[other], group.deviceCount)
              .total();
  return bytes;
}

MemoryLedger othersResident(const PlanProblem &problem, const Plan &plan,
                            int model) {
  const DeviceGroup &group = plan.groups[plan.groupOf(model)];
  MemoryLedger sum;
  for (int other : group.models)
    if (other != model)
      sum = addLedgers(sum, residentMemory(problem, other, plan.layouts[other],
                                           group.deviceCount));
  return sum;
}

CallCost callCost(const PlanProblem &problem, const Plan &plan, int call) {
  int model = problem.workload.calls[call].model;
  int64_t devices = plan.groups[plan.groupOf(model)].deviceCount;
  return costCall(problem, call, plan.layouts[model], devices,
                  othersResidentBytes(problem, plan, model));
}

std::string infeasibility(const PlanProblem &problem, const Plan &plan) {
  std::string structure = checkStructure(problem, plan);
  if (!structure.empty())
    return structure;
  for (size_t c = 0; c < problem.workload.calls.size(); ++c) {
    const CallSpec &spec = problem.workload.calls[c];
    const DeviceGroup &group = plan.groups[plan.groupOf(spec.model)];
    CallCost cost = callCost(problem, plan, static_cast<int>(c));
    if (!cost.problem.empty())
      return "group " + groupName(problem, group) + ": " + cost.problem;
    MemoryLedger peak =
        addLedgers(othersResident(problem, plan, spec.model), cost.memory);
    if (auto shortfall = memoryShortfall(peak, problem.cluster.device))
      return "group " + groupName(problem, group) + " during " + spec.id +
             ": " + *shortfall;
  }
  return "";
}

} // namespace rlg::planner
