// The run loop: precomputed tables, then each stage's steps in order, each
// step's ops in the device's instruction order, evaluations, metrics and the
// measured timeline.
#include "rlg/Runtime/Executor/Executor.h"

#include "rlg/Runtime/Executor/Refill.h"
#include "rlg/Runtime/Executor/RunCheckpoint.h"
#include "rlg/Runtime/Executor/StageStart.h"
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Executor/Transfer.h"
#include "rlg/Runtime/Metrics/Memory.h"
#include "rlg/Runtime/Metrics/MetricNames.h"
#include "rlg/Runtime/Metrics/MetricsLogger.h"
#include "rlg/Runtime/Metrics/Trace.h"
#include "rlg/Runtime/TorchCompat.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>

namespace rlg::runtime {

namespace {

void printEval(std::ostream &log, const EvalResult &e, int64_t k) {
  log << "eval " << e.data << " at step " << e.step << ": accuracy "
      << std::fixed << std::setprecision(3) << e.accuracy << ", pass@" << k
      << " " << e.passAtK << " (" << e.prompts << " prompts)\n"
      << std::defaultfloat;
}

/// One run of a schedule: what the loop shares between steps.
class RunLoop {
public:
  RunLoop(const schedule::Schedule &schedule, const RunOptions &options,
          std::ostream &log)
      : schedule_(schedule), options_(options), log_(log),
        outDir_(options.outDir),
        trace_(options.groups->rank(),
               "rank " + std::to_string(options.groups->rank())),
        run_(schedule, options), leader_(options.groups->rank() == 0),
        quiet_(options.quiet || !leader_) {}

  RunSummary run() {
    try {
      runAll();
    } catch (...) {
      // The timeline up to a failure is worth keeping.
      try {
        trace_.write(traceFile());
      } catch (...) {
      }
      throw;
    }
    trace_.write(traceFile());
    if (!quiet_)
      printEvalSummary();
    return std::move(summary_);
  }

private:
  void runAll() {
    int64_t totalSteps = 0;
    for (const schedule::Stage &stage : schedule_.run.stages)
      totalSteps += stage.steps;
    if (options_.maxSteps >= 0)
      totalSteps = std::min(totalSteps, options_.maxSteps);
    // A resumed run continues after its checkpoint's step; the metrics file
    // drops any record past it.
    int64_t resumedStep = options_.resume.empty() ? 0 : resumeRun(run_);
    if (resumedStep > 0 && !quiet_)
      log_ << "resumed after step " << resumedStep << '\n';
    nameTracks();
    if (!schedule_.precompute.empty()) {
      // After a resume, so that tables come from the restored weights.
      TraceSpan span(trace_, "precompute", "", {}, "precompute");
      computeTables(run_);
    }
    // Rank 0 writes the metrics of every rank's ops.
    MetricsLogger logger(
        MetricsLoggerOptions{leader_ ? outDir_ / "metrics.jsonl"
                                     : std::filesystem::path(),
                             totalSteps, quiet_ ? nullptr : &log_},
        resumedStep);
    // The stage the run starts or resumes in begins now unless it is
    // under way; a later one begins right after its predecessor's last
    // step, before that step's evaluations and checkpoint.
    int64_t stepsBefore = 0; // steps of the stages before this one
    size_t stageNow = 0;
    for (; stageNow < schedule_.run.stages.size(); ++stageNow) {
      int64_t steps = schedule_.run.stages[stageNow].steps;
      if (run_.globalStep < stepsBefore + steps) {
        if (run_.globalStep == stepsBefore)
          startStage(run_, stageNow);
        break;
      }
      stepsBefore += steps;
    }
    // The starting point, as step 0 (a resumed run has its own already).
    if (run_.globalStep == 0 && !schedule_.run.eval.empty()) {
      MetricMap before;
      runEvals(/*force=*/true, before, stageNow);
      before = mergeRankMetrics(before);
      if (!before.empty())
        logger.log(0, before, /*console=*/false); // the eval lines say it
    }
    int64_t checkpointEvery =
        options_.checkpointEvery > 0 ? options_.checkpointEvery
        : schedule_.run.checkpoint   ? schedule_.run.checkpoint->every
                                     : 0;
    stepsBefore = 0;
    for (size_t stageIndex = 0; stageIndex < schedule_.run.stages.size();
         ++stageIndex) {
      const schedule::Stage &stage = schedule_.run.stages[stageIndex];
      const schedule::Step *step = schedule_.findStep(stage.step);
      if (!step)
        throw RunError("stage names unknown step '" + stage.step + "'");
      // Skip the steps a resumed run has done already.
      int64_t first = std::max<int64_t>(0, run_.globalStep - stepsBefore);
      stepsBefore += stage.steps;
      for (int64_t i = first; i < stage.steps && run_.globalStep < totalSteps;
           ++i) {
        MetricMap metrics = runStep(*step);
        size_t evalStage = stageIndex;
        std::set<std::string> started;
        if (i + 1 == stage.steps &&
            stageIndex + 1 < schedule_.run.stages.size())
          started = startStage(run_, ++evalStage);
        runEvals(/*force=*/run_.globalStep == totalSteps, metrics, evalStage,
                 started);
        metrics = mergeRankMetrics(metrics);
        logger.log(run_.globalStep, metrics);
        summary_.steps.push_back(std::move(metrics));
        if (checkpointEvery > 0 && run_.globalStep % checkpointEvery == 0) {
          {
            TraceSpan span(trace_, "checkpoint", "",
                           {{"step", run_.globalStep}}, "checkpoint");
            saveRunCheckpoint(run_, static_cast<int64_t>(stageIndex));
          }
          trace_.write(traceFile());
        }
      }
    }
  }

  /// trace.json for rank 0, trace-rank-N.json for the others.
  std::filesystem::path traceFile() const {
    return outDir_ /
           (leader_ ? std::string("trace.json")
                    : "trace-rank-" + std::to_string(run_.rank()) + ".json");
  }

  /// This rank's instructions for `step` (none when it has no part in it).
  const std::vector<std::string> &instructionsOf(const schedule::Step &step) {
    static const std::vector<std::string> none;
    auto it = step.instructions.find(run_.rank());
    return it == step.instructions.end() ? none : it->second;
  }

  /// Every rank's metrics, merged on every rank: the lowest rank's value of
  /// each name (ranks that ran an op agree on its metrics), the slowest
  /// rank's of each timing.
  MetricMap mergeRankMetrics(const MetricMap &mine) {
    if (run_.worldSize() == 1)
      return mine;
    nlohmann::json record(mine);
    MetricMap merged;
    for (const std::string &text :
         run_.groups->world().allGatherText(record.dump())) {
      nlohmann::json theirs = nlohmann::json::parse(text);
      for (auto &[name, value] : theirs.items()) {
        double v = value.get<double>();
        auto [it, added] = merged.emplace(name, v);
        if (!added && name.rfind("timing_s/", 0) == 0)
          it->second = std::max(it->second, v);
      }
    }
    return merged;
  }

  /// The trace's tracks, top to bottom: whole steps, then each op kind in
  /// the order steps run them, then evaluations and checkpoints.
  void nameTracks() {
    trace_.track("step");
    if (!schedule_.precompute.empty())
      trace_.track("precompute");
    for (const schedule::Step &step : schedule_.steps)
      for (const std::string &id : instructionsOf(step))
        if (const schedule::Op *op = step.findOp(id))
          trace_.track(std::string(schedule::opKindName(op->kind)));
    if (!schedule_.run.eval.empty())
      trace_.track("eval");
  }

  /// One step of `step`'s graph; its metrics with timings and throughput.
  MetricMap runStep(const schedule::Step &step) {
    TraceSpan stepSpan(trace_, step.name, "", {{"step", run_.globalStep + 1}},
                       "step");
    StepValues values;
    MetricMap metrics;
    for (const std::string &id : instructionsOf(step)) {
      const schedule::Op *op = step.findOp(id);
      if (!op)
        throw RunError("step '" + step.name + "' runs unknown op '" + id + "'");
      runTimedOp(step, *op, values, metrics);
    }
    ++run_.globalStep;
    double seconds = stepSpan.end();
    metrics[metric::kTimingStep] = seconds;
    auto tokens = metrics.find(metric::kTotalNumTokens);
    if (tokens != metrics.end() && seconds > 0)
      metrics[metric::kThroughput] = tokens->second / seconds;
    if (std::optional<double> peak = peakMemoryGb())
      metrics[metric::kMaxMemoryAllocatedGb] = *peak;
    return metrics;
  }

  /// The allocator's peak on a CUDA device (torch.cuda.max_memory_allocated)
  /// where the LibTorch can read it, else the process's resident peak.
  std::optional<double> peakMemoryGb() const {
    if (options_.device.is_cuda()) {
      int64_t bytes = compat::cudaPeakAllocatedBytes(
          options_.device.has_index() ? options_.device.index() : 0);
      if (bytes >= 0)
        return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
    }
    return peakResidentMemoryGb();
  }

  /// Runs one op, timed on its kind's track; errors name the step and the
  /// op with its place in the program.
  void runTimedOp(const schedule::Step &step, const schedule::Op &op,
                  StepValues &values, MetricMap &metrics) {
    std::string kind(schedule::opKindName(op.kind));
    try {
      TraceSpan span(trace_, op.id, op.model,
                     {{"step", run_.globalStep + 1}, {"model", op.model}},
                     kind);
      if (op.kind == schedule::OpKind::Filter && boolAttr(op, "refill", false))
        runRefillingFilter(run_, step, op, values, metrics);
      else if (op.kind == schedule::OpKind::Transfer)
        runTransfer(run_, step, op, values);
      else
        runStepOp(run_, op, values, metrics);
      metrics[metric::timing(kind)] += span.end();
    } catch (const RunError &e) {
      throw RunError(where(step, op) + e.what(), e.hint);
    } catch (const std::invalid_argument &e) {
      throw RunError(where(step, op) + e.what());
    }
  }

  std::string where(const schedule::Step &step, const schedule::Op &op) const {
    return "step " + std::to_string(run_.globalStep + 1) + " of '" + step.name +
           "', op '" + op.id + "'" +
           (op.loc.empty() ? "" : " (" + op.loc + ")") + ": ";
  }

  /// Evaluations due now (all of them when forced) while stage
  /// `stageIndex` is under way; their results join `metrics` as
  /// eval/<data>/accuracy, pass@k and reward/mean. A model that awaits its
  /// weights from another is not evaluated; one that just got them
  /// (`started`) is, to measure its starting point.
  void runEvals(bool force, MetricMap &metrics, size_t stageIndex,
                const std::set<std::string> &started = {}) {
    for (const schedule::EvalSetting &setting : schedule_.run.eval) {
      bool due = force || started.count(setting.model) ||
                 (run_.globalStep > 0 && run_.globalStep % setting.every == 0);
      if (!due || awaitsWeights(schedule_, setting.model, stageIndex))
        continue;
      // The ranks that hold the model's weights evaluate it.
      const OpPlacement &held = run_.model(setting.model).placement;
      if (!held.meshRanks.empty() && !held.contains())
        continue;
      TraceSpan span(trace_, "eval " + setting.data, setting.model,
                     {{"step", run_.globalStep}}, "eval");
      EvalResult e = evaluate(run_, setting);
      metrics[metric::evalAccuracy(e.data)] = e.accuracy;
      metrics[metric::evalPassAtK(e.data, setting.k)] = e.passAtK;
      metrics[metric::evalRewardMean(e.data)] = e.meanReward;
      metrics[metric::timing("eval")] += span.end();
      summary_.evals.push_back(e);
      if (!quiet_)
        printEval(log_, e, setting.k);
    }
  }

  /// Each evaluation's first and last result: what the run changed.
  void printEvalSummary() {
    for (const schedule::EvalSetting &setting : schedule_.run.eval) {
      const EvalResult *first = nullptr, *last = nullptr;
      for (const EvalResult &e : summary_.evals)
        if (e.data == setting.data) {
          first = first ? first : &e;
          last = &e;
        }
      if (!first || first == last)
        continue;
      log_ << std::fixed << std::setprecision(3) << "eval " << setting.data
           << " (" << setting.model << "): accuracy " << first->accuracy
           << " at step " << first->step << " -> " << last->accuracy
           << " at step " << last->step << ", pass@" << setting.k << " "
           << first->passAtK << " -> " << last->passAtK << '\n'
           << std::defaultfloat;
    }
  }

  const schedule::Schedule &schedule_;
  const RunOptions &options_;
  std::ostream &log_;
  std::filesystem::path outDir_;
  TraceWriter trace_;
  RunContext run_;
  bool leader_; // rank 0: writes metrics, checkpoints and the console
  bool quiet_;
  RunSummary summary_;
};

} // namespace

RunSummary runSchedule(const schedule::Schedule &schedule,
                       const RunOptions &options, std::ostream &log) {
  RunOptions local = options;
  if (!local.groups) {
    DistributedEnv env = DistributedEnv::fromEnvironment();
    if (schedule.cluster.deviceCount != env.worldSize)
      throw RunError(
          "the schedule is planned for " +
              std::to_string(schedule.cluster.deviceCount) + " device" +
              (schedule.cluster.deviceCount == 1 ? "" : "s") +
              ", and this run has " + std::to_string(env.worldSize) +
              " process" + (env.worldSize == 1 ? "" : "es"),
          schedule.cluster.deviceCount == 1
              ? "run it as one process (without WORLD_SIZE), or plan it for "
                "the cluster you launch"
              : "start one process per device: rlg launch --nproc " +
                    std::to_string(schedule.cluster.deviceCount) +
                    " --schedule S.json (docs/distributed.md)");
    // Each local rank drives its own GPU.
    if (env.distributed() && local.device.is_cuda())
      local.device = torch::Device(
          torch::kCUDA, static_cast<c10::DeviceIndex>(env.localRank));
    local.groups = ProcessGroups::connect(env, local.device, local.timeout);
    local.groups->createGroups(processGroupsOf(schedule));
  }
  return RunLoop(schedule, local, log).run();
}

} // namespace rlg::runtime
