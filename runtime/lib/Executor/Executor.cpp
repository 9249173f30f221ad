// The run loop: precomputed tables, then each stage's steps in order, each
// step's ops in the device's instruction order, evaluations and metrics.
#include "rlg/Runtime/Executor/Executor.h"

#include "rlg/Runtime/Executor/RunCheckpoint.h"
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Metrics/Memory.h"
#include "rlg/Runtime/Metrics/MetricsLogger.h"

#include <chrono>
#include <filesystem>
#include <iomanip>

namespace rlg::runtime {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void printEval(std::ostream &log, const EvalResult &e, int64_t k) {
  log << "eval " << e.data << " at step " << e.step << ": accuracy "
      << std::fixed << std::setprecision(3) << e.accuracy << ", pass@" << k
      << " " << e.passAtK << " (" << e.prompts << " prompts)\n"
      << std::defaultfloat;
}

} // namespace

RunSummary runSchedule(const schedule::Schedule &schedule,
                       const RunOptions &options, std::ostream &log) {
  if (schedule.cluster.deviceCount != 1)
    throw RunError("the schedule is planned for " +
                       std::to_string(schedule.cluster.deviceCount) +
                       " devices; this runtime runs one process",
                   "compile with the single-device strategy");
  RunContext run(schedule, options);
  computeTables(run);
  int64_t totalSteps = 0;
  for (const schedule::Stage &stage : schedule.run.stages)
    totalSteps += stage.steps;
  if (options.maxSteps >= 0)
    totalSteps = std::min(totalSteps, options.maxSteps);
  // A resumed run continues after its checkpoint's step; the metrics file
  // drops any record past it.
  int64_t resumedStep = options.resume.empty() ? 0 : resumeRun(run);
  if (resumedStep > 0 && !options.quiet)
    log << "resumed after step " << resumedStep << '\n';
  MetricsLogger logger(
      MetricsLoggerOptions{std::filesystem::path(options.outDir) /
                               "metrics.jsonl",
                           totalSteps, options.quiet ? nullptr : &log},
      resumedStep);
  int64_t checkpointEvery =
      options.checkpointEvery > 0 ? options.checkpointEvery
      : schedule.run.checkpoint   ? schedule.run.checkpoint->every
                                  : 0;

  RunSummary summary;
  auto runEvals = [&](bool force) {
    for (const schedule::EvalSetting &setting : schedule.run.eval)
      if (force ||
          (run.globalStep > 0 && run.globalStep % setting.every == 0)) {
        EvalResult e = evaluate(run, setting);
        summary.evals.push_back(e);
        if (!options.quiet)
          printEval(log, e, setting.k);
      }
  };
  runEvals(/*force=*/true);

  int64_t stepsBefore = 0; // steps of the stages before this one
  for (size_t stageIndex = 0; stageIndex < schedule.run.stages.size();
       ++stageIndex) {
    const schedule::Stage &stage = schedule.run.stages[stageIndex];
    const schedule::Step *step = schedule.findStep(stage.step);
    if (!step)
      throw RunError("stage names unknown step '" + stage.step + "'");
    std::map<std::string, const schedule::Op *> byId;
    for (const schedule::Op &op : step->ops)
      byId[op.id] = &op;
    // Skip the steps a resumed run has done already.
    int64_t first = std::max<int64_t>(0, run.globalStep - stepsBefore);
    stepsBefore += stage.steps;
    for (int64_t i = first; i < stage.steps && run.globalStep < totalSteps;
         ++i) {
      Clock::time_point stepStart = Clock::now();
      StepValues values;
      MetricMap metrics;
      for (const std::string &id : step->instructions.at(0)) {
        const schedule::Op &op = *byId.at(id);
        Clock::time_point start = Clock::now();
        runStepOp(run, op, values, metrics);
        metrics["timing_s/" + std::string(schedule::opKindName(op.kind))] +=
            secondsSince(start);
      }
      ++run.globalStep;
      metrics["timing_s/step"] = secondsSince(stepStart);
      if (std::optional<double> peak = peakResidentMemoryGb())
        metrics["perf/max_memory_allocated_gb"] = *peak;
      logger.log(run.globalStep, metrics);
      summary.steps.push_back(std::move(metrics));
      if (checkpointEvery > 0 && run.globalStep % checkpointEvery == 0)
        saveRunCheckpoint(run, static_cast<int64_t>(stageIndex));
      bool last = run.globalStep == totalSteps;
      if (!last)
        runEvals(/*force=*/false);
    }
  }
  runEvals(/*force=*/true);
  return summary;
}

} // namespace rlg::runtime
