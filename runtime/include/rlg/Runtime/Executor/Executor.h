// Runs a schedule: its stages' steps in order, evaluations, metrics.
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <ostream>
#include <vector>

namespace rlg::runtime {

/// Held-out evaluation of a policy on prompts with answers: k samples per
/// prompt at the setting's temperature.
struct EvalResult {
  int64_t step = 0;
  std::string data;
  double accuracy = 0; // correct samples / all samples
  double passAtK = 0;  // prompts with a correct sample among k
  double meanReward = 0;
  int64_t prompts = 0;
};

EvalResult evaluate(RunContext &run, const schedule::EvalSetting &setting);

struct RunSummary {
  std::vector<MetricMap> steps;
  std::vector<EvalResult> evals;
};

/// Runs the schedule on one device, writing one console line per step to
/// `log` and metrics.jsonl under options.outDir. Throws RunError for what
/// the runtime cannot run (and std::invalid_argument from the algorithms
/// for data that breaks their contracts).
RunSummary runSchedule(const schedule::Schedule &schedule,
                       const RunOptions &options, std::ostream &log);

} // namespace rlg::runtime
