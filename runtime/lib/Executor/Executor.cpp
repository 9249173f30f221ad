// The run loop: precomputed tables, then each stage's steps in order, each
// step's ops in the device's instruction order, evaluations and metrics.
#include "rlg/Runtime/Executor/Executor.h"

#include "rlg/Runtime/Executor/StepOps.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
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

void printStep(std::ostream &log, int64_t step, int64_t total,
               const MetricMap &m) {
  log << "step " << step << "/" << total;
  for (const char *name :
       {"critic/score/mean", "actor/pg_loss", "actor/ppo_kl", "actor/entropy",
        "actor/sft_loss", "actor/dpo_loss", "critic/vf_loss",
        "response_length/mean", "timing_s/step"}) {
    auto it = m.find(name);
    if (it == m.end())
      continue;
    std::string label =
        std::string(name).substr(std::string(name).find('/') + 1);
    log << " | " << label << " " << std::setprecision(4) << it->second;
  }
  log << '\n' << std::defaultfloat;
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
  std::filesystem::create_directories(options.outDir);
  std::ofstream metricsFile(
      (std::filesystem::path(options.outDir) / "metrics.jsonl").string());

  int64_t totalSteps = 0;
  for (const schedule::Stage &stage : schedule.run.stages)
    totalSteps += stage.steps;
  if (options.maxSteps >= 0)
    totalSteps = std::min(totalSteps, options.maxSteps);

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

  for (const schedule::Stage &stage : schedule.run.stages) {
    const schedule::Step *step = schedule.findStep(stage.step);
    if (!step)
      throw RunError("stage names unknown step '" + stage.step + "'");
    std::map<std::string, const schedule::Op *> byId;
    for (const schedule::Op &op : step->ops)
      byId[op.id] = &op;
    for (int64_t i = 0; i < stage.steps && run.globalStep < totalSteps; ++i) {
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
      nlohmann::json record = {{"step", run.globalStep}, {"stage", stage.step}};
      for (const auto &[name, value] : metrics)
        record[name] = value;
      metricsFile << record.dump() << '\n' << std::flush;
      if (!options.quiet)
        printStep(log, run.globalStep, totalSteps, metrics);
      summary.steps.push_back(std::move(metrics));
      bool last = run.globalStep == totalSteps;
      if (!last)
        runEvals(/*force=*/false);
    }
  }
  runEvals(/*force=*/true);
  return summary;
}

} // namespace rlg::runtime
