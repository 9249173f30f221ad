// The plan report: a plain-text account of the chosen plan for a person.
#include "PlanLabels.h"
#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/PlanOutputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace rlg::planner {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

using Row = std::vector<std::string>;

/// Rows as columns padded to their widest cell, two spaces apart and
/// indented by two;
/// columns whose index is in `rightAligned` are aligned right.
std::string table(const std::vector<Row> &rows,
                  const std::vector<size_t> &rightAligned) {
  std::vector<size_t> widths;
  for (const Row &row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const Row &row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      bool right = std::find(rightAligned.begin(), rightAligned.end(), i) !=
                   rightAligned.end();
      std::string pad(widths[i] - row[i].size(), ' ');
      line += "  ";
      line += right ? pad + row[i] : row[i] + pad;
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string heading(const std::string &title) {
  return "\n" + title + "\n" + std::string(title.size(), '-') + "\n";
}

std::string seconds(double value) { return fmt::format("{:.3f}", value); }
std::string gib(double bytes) { return fmt::format("{:.1f}", bytes / kGiB); }

std::vector<std::string> modelNames(const Workload &workload) {
  std::vector<std::string> names;
  for (const ModelSpec &model : workload.models)
    names.push_back(model.name);
  return names;
}

/// "optimizer 25.1, weights 12.6, activations 3.0": the largest non-zero
/// entries of `ledger` (GiB), largest first.
std::string largestEntries(const MemoryLedger &ledger, size_t count) {
  std::vector<std::pair<double, const char *>> entries = {
      {ledger.weights, "weights"},     {ledger.gradients, "gradients"},
      {ledger.optimizer, "optimizer"}, {ledger.activations, "activations"},
      {ledger.kvCache, "kvCache"},     {ledger.buffers, "buffers"}};
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const auto &a, const auto &b) { return a.first > b.first; });
  std::string text;
  for (size_t i = 0; i < entries.size() && i < count; ++i) {
    if (entries[i].first <= 0)
      break;
    if (!text.empty())
      text += ", ";
    text += fmt::format("{} {}", entries[i].second, gib(entries[i].first));
  }
  return text;
}

/// The call whose id is `phase`, or -1.
int callOfPhase(const Workload &workload, const std::string &phase) {
  for (size_t i = 0; i < workload.calls.size(); ++i)
    if (workload.calls[i].id == phase)
      return static_cast<int>(i);
  return -1;
}

std::string groupsSection(const PlanProblem &problem, const Plan &plan) {
  std::string out = heading("Device groups");
  out += fmt::format("  partition: {}\n",
                     describePartition(plan, modelNames(problem.workload)));
  std::vector<Row> rows;
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    const DeviceGroup &group = plan.groups[g];
    rows.push_back({fmt::format("group {}", g), deviceRange(group),
                    fmt::format("{} GPUs", group.deviceCount),
                    groupModelNames(problem, plan, static_cast<int>(g))});
  }
  return out + table(rows, {2});
}

std::string callsSection(const PlanProblem &problem, const Plan &plan,
                         const Evaluation &evaluation) {
  std::string out = heading("Calls: layout and predicted time per step");
  std::vector<Row> rows = {
      {"call", "model.kind", "group", "layout", "time (s)", "compute", "comm"}};
  const auto &calls = problem.workload.calls;
  for (size_t i = 0; i < calls.size(); ++i) {
    int call = static_cast<int>(i);
    int group = plan.groupOf(calls[i].model);
    CallCost cost =
        i < evaluation.calls.size() ? evaluation.calls[i] : CallCost();
    rows.push_back({calls[i].id, callTitle(problem, call),
                    group >= 0 ? std::to_string(group) : "-",
                    describeCallLayout(problem, plan, call),
                    seconds(cost.seconds), seconds(cost.computeSeconds),
                    seconds(cost.commSeconds)});
  }
  return out + table(rows, {2, 4, 5, 6});
}

std::string memorySection(const PlanProblem &problem,
                          const Evaluation &evaluation) {
  const DeviceProfile &device = problem.cluster.device;
  double usable = usableBytes(device);
  std::string out = heading(
      fmt::format("Memory: peak per GPU by phase (usable {} GiB of {:.1f} "
                  "GiB per {})",
                  gib(usable), device.memoryGiB, device.name));
  std::vector<Row> rows = {{"group", "phase", "model.kind", "peak GiB",
                            "of usable", "largest (GiB)"}};
  for (const PhaseMemory &phase : evaluation.memory) {
    int call = callOfPhase(problem.workload, phase.phase);
    double total = phase.ledger.total();
    rows.push_back(
        {std::to_string(phase.group), phase.phase,
         call >= 0 ? callTitle(problem, call) : "-", gib(total),
         usable > 0 ? fmt::format("{:.1f} %", 100.0 * total / usable) : "-",
         largestEntries(phase.ledger, 3)});
  }
  return out + table(rows, {0, 3, 4});
}

std::string timeSection(const PlanProblem &problem, const Plan &plan,
                        const Evaluation &evaluation) {
  std::array<double, 3> byKind = {0, 0, 0};
  double callsTotal = 0;
  const auto &calls = problem.workload.calls;
  for (size_t i = 0; i < calls.size() && i < evaluation.calls.size(); ++i) {
    byKind[static_cast<size_t>(phaseKindOf(calls[i].kind))] +=
        evaluation.calls[i].seconds;
    callsTotal += evaluation.calls[i].seconds;
  }
  std::string out = heading("Time per step");
  std::vector<Row> rows;
  for (PhaseKind kind :
       {PhaseKind::Generation, PhaseKind::Inference, PhaseKind::Training})
    rows.push_back({phaseKindName(kind),
                    seconds(byKind[static_cast<size_t>(kind)]) + " s",
                    "sum of its calls"});
  rows.push_back({"all calls", seconds(callsTotal) + " s", "run one by one"});
  rows.push_back({"step", seconds(evaluation.stepSeconds) + " s",
                  "simulated: overlap, resharding and transfers included"});
  std::vector<Row> &busy = rows;
  for (size_t g = 0;
       g < evaluation.groupBusySeconds.size() && g < plan.groups.size(); ++g) {
    double share =
        evaluation.stepSeconds > 0
            ? 100.0 * evaluation.groupBusySeconds[g] / evaluation.stepSeconds
            : 0.0;
    busy.push_back({fmt::format("group {} busy", g),
                    seconds(evaluation.groupBusySeconds[g]) + " s",
                    fmt::format("{:5.1f} % of the step", share)});
  }
  out += table(rows, {1});
  out += fmt::format("\nThroughput: {:.1f} generated tokens/s ({:.0f} tokens "
                     "per step)\n",
                     evaluation.tokensPerSecond,
                     problem.workload.generatedTokensPerStep());
  return out;
}

std::string runnersUpSection(const StrategyResult &result) {
  if (result.runnersUp.empty())
    return "";
  std::string out = heading("Rejected alternatives (best first)");
  size_t shown = std::min<size_t>(3, result.runnersUp.size());
  for (size_t i = 0; i < shown; ++i) {
    const Rejected &rejected = result.runnersUp[i];
    out += fmt::format("  {}. {}\n     {}\n", i + 1, rejected.description,
                       rejected.reason);
  }
  return out;
}

} // namespace

std::string planReport(const PlanProblem &problem,
                       const StrategyResult &result) {
  const Plan &plan = result.best.plan;
  std::string out = "Plan report\n===========\n";
  out += fmt::format("cluster:   {}\n", describeCluster(problem.cluster));
  out += fmt::format("strategy:  {} ({} plans evaluated, {} pruned)\n",
                     plan.strategy.empty() ? "-" : plan.strategy,
                     result.plansEvaluated, result.plansPruned);
  if (!result.found) {
    out += fmt::format("\nNo plan found: {}\n", result.error);
    if (!result.hint.empty())
      out += fmt::format("hint: {}\n", result.hint);
    return out + runnersUpSection(result);
  }
  const Evaluation &evaluation = result.best.evaluation;
  out +=
      fmt::format("step:      {} s, {:.1f} generated tokens/s\n",
                  seconds(evaluation.stepSeconds), evaluation.tokensPerSecond);
  out += groupsSection(problem, plan);
  out += callsSection(problem, plan, evaluation);
  out += memorySection(problem, evaluation);
  out += timeSection(problem, plan, evaluation);
  return out + runnersUpSection(result);
}

} // namespace rlg::planner
