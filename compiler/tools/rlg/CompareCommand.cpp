// `rlg compare`: one program planned for a cluster by several strategies,
// printed side by side with the best marked.
#include "Commands.h"
#include "PlanInputs.h"
#include "ProgramLoader.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/Strategy.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace rlg::driver {

namespace {

/// One strategy's row of the comparison.
struct Row {
  std::string strategy;
  planner::StrategyResult result;
  std::string stepTime, tokens, memory, partition;
};

std::string format(const char *pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

/// The largest per-device peak of any phase, as a share of usable memory.
double peakMemoryShare(const planner::PlanProblem &problem,
                       const planner::Evaluation &evaluation) {
  double peak = 0;
  for (const planner::PhaseMemory &phase : evaluation.memory)
    peak = std::max(peak, phase.ledger.total());
  double usable = planner::usableBytes(problem.cluster.device);
  return usable > 0 ? peak / usable : 0;
}

std::string padRight(const std::string &text, size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string padLeft(const std::string &text, size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text;
}

} // namespace

int runCompare(const CompareOptions &options) {
  if (options.strategies.empty()) {
    std::cerr << "rlg compare: error: no strategies to compare\nhint: give "
                 "them as --strategies search,colocate,split,standalone\n";
    return kExitUserError;
  }
  for (const std::string &strategy : options.strategies)
    if (!checkStrategy("compare", strategy))
      return kExitUserError;
  PlanInputs inputs;
  ProgramLoader program;
  program.params = options.params;
  if (int code = loadPlanInputs("compare", options.file, options.cluster,
                                options.calibration, options.settings,
                                options.color, inputs, program))
    return code;
  inputs.allowPipeline = options.allowPipeline;

  // Every strategy plans the same problem; the strategy is named per run.
  analysis::ClusterPlanOptions planOptions = inputs.planOptions("search");
  analysis::ExtractedWorkload extracted;
  mlir::FailureOr<planner::PlanProblem> problem =
      analysis::buildPlanProblem(program.module(), planOptions, extracted);
  if (mlir::failed(problem))
    return program.failedWithErrors();
  std::vector<std::string> modelNames;
  for (const planner::ModelSpec &model : problem->workload.models)
    modelNames.push_back(model.name);

  std::vector<Row> rows;
  int best = -1;
  for (const std::string &strategy : options.strategies) {
    Row row;
    row.strategy = strategy;
    row.result = planner::runStrategy(strategy, *problem);
    if (row.result.found) {
      const planner::Evaluation &evaluation = row.result.best.evaluation;
      row.stepTime = format("%.3f s", evaluation.stepSeconds);
      row.tokens = format("%.0f", evaluation.tokensPerSecond);
      row.memory =
          format("%.0f %%", 100 * peakMemoryShare(*problem, evaluation));
      row.partition =
          planner::describePartition(row.result.best.plan, modelNames);
      if (best < 0 || evaluation.stepSeconds <
                          rows[best].result.best.evaluation.stepSeconds)
        best = static_cast<int>(rows.size());
    }
    rows.push_back(std::move(row));
  }

  std::cout << program.programName() << " (step @"
            << extracted.step.getSymName().str() << ") on "
            << describeCluster(inputs.cluster) << '\n';
  size_t nameWidth = 8;
  for (const Row &row : rows)
    nameWidth = std::max(nameWidth, row.strategy.size());
  std::cout << "  " << padRight("strategy", nameWidth) << "  "
            << padLeft("step time", 10) << "  " << padLeft("tokens/s", 10)
            << "  " << padLeft("peak mem", 8) << "  partition\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row &row = rows[i];
    std::cout << (static_cast<int>(i) == best ? "* " : "  ")
              << padRight(row.strategy, nameWidth) << "  ";
    if (!row.result.found) {
      std::cout << "infeasible: " << row.result.error << '\n';
      continue;
    }
    std::cout << padLeft(row.stepTime, 10) << "  " << padLeft(row.tokens, 10)
              << "  " << padLeft(row.memory, 8) << "  " << row.partition
              << '\n';
  }
  if (best < 0) {
    std::cout << "no strategy found a plan that fits\n";
    if (!rows.front().result.hint.empty())
      std::cout << "hint: " << rows.front().result.hint << '\n';
    return kExitUserError;
  }
  std::cout << "* best: " << rows[best].strategy;
  double bestTime = rows[best].result.best.evaluation.stepSeconds;
  const Row *next = nullptr;
  for (const Row &row : rows)
    if (&row != &rows[best] && row.result.found &&
        (!next || row.result.best.evaluation.stepSeconds <
                      next->result.best.evaluation.stepSeconds))
      next = &row;
  if (next && bestTime > 0)
    std::cout << "; the next, " << next->strategy << ", takes "
              << format("%.2fx",
                        next->result.best.evaluation.stepSeconds / bestTime)
              << " its step time";
  std::cout << '\n';
  return kExitOk;
}

} // namespace rlg::driver
