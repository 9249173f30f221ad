// `rlg plan`: a program planned for a cluster with one of the planner's
// strategies, written as a schedule with predictions and the planner's
// report, timeline, graph and charts.
#include "Commands.h"
#include "PlanInputs.h"
#include "PlanSchedule.h"
#include "ProgramLoader.h"

#include "rlg/Planner/PlanOutputs.h"
#include "rlg/Schedule/ScheduleIO.h"

#include <filesystem>
#include <iostream>

namespace rlg::driver {

int runPlan(const PlanOptions &options) {
  if (!checkStrategy("plan", options.strategy))
    return kExitUserError;
  PlanInputs inputs;
  ProgramLoader program;
  program.params = options.params;
  if (int code = loadPlanInputs("plan", options.file, options.cluster,
                                options.calibration, options.settings,
                                options.color, inputs, program))
    return code;
  inputs.allowPipeline = options.allowPipeline;
  PlannedSchedule planned;
  if (int code = planSchedule(options.file, program,
                              inputs.planOptions(options.strategy), planned))
    return code;

  std::filesystem::path dir =
      options.out.empty()
          ? std::filesystem::path("plans") / program.programName()
          : std::filesystem::path(options.out);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << dir.string()
              << ": error: cannot create the folder: " << ec.message() << '\n';
    return kExitUserError;
  }
  const analysis::ClusterPlan &plan = planned.plan;
  const planner::Plan &chosen = plan.result.best.plan;
  const planner::Evaluation &evaluation = plan.result.best.evaluation;
  std::string report = planner::planReport(plan.problem, plan.result);
  const std::pair<const char *, std::string> files[] = {
      {"schedule.json", schedule::writeScheduleJson(planned.schedule)},
      {"report.txt", report},
      {"timeline.json",
       planner::planTimelineJson(plan.problem, chosen, evaluation)},
      {"plan.dot", planner::planDot(plan.problem, chosen, evaluation)},
      {"gantt.svg", planner::planGanttSvg(plan.problem, chosen, evaluation)},
      {"memory.svg", planner::planMemorySvg(plan.problem, chosen, evaluation)},
  };
  std::string written;
  for (const auto &[name, text] : files) {
    if (!writeFileAtomically(dir, name, text))
      return kExitUserError;
    written += std::string(written.empty() ? "" : ", ") + name;
  }
  std::cout << report;
  if (!report.empty() && report.back() != '\n')
    std::cout << '\n';
  if (options.allowPipeline)
    std::cout << "note: planned with --allow-pipeline, for sizing only: the "
                 "runtime does not run pipeline stages (pp > 1) yet\n";
  std::cout << "wrote " << dir.string() << "/: " << written << '\n';
  return kExitOk;
}

} // namespace rlg::driver
