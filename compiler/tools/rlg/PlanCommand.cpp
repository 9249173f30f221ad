// `rlg plan`: a program planned for a cluster with one of the planner's
// strategies, written as a schedule with predictions and the planner's
// report, timeline, graph and charts.
#include "Commands.h"
#include "PlanInputs.h"
#include "ProgramLoader.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Export/ExportSchedule.h"
#include "rlg/Planner/PlanOutputs.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace rlg::driver {

namespace {

/// Writes `text` to DIR/NAME through a temporary file and a rename.
bool writeFile(const std::filesystem::path &dir, const std::string &name,
               const std::string &text) {
  std::filesystem::path path = dir / name;
  std::filesystem::path temp = dir / (name + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) {
      std::cerr << path.string() << ": error: cannot write the file\n";
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    std::cerr << path.string() << ": error: cannot write the file\n";
    return false;
  }
  return true;
}

} // namespace

int runPlan(const PlanOptions &options) {
  if (!checkStrategy("plan", options.strategy))
    return kExitUserError;
  PlanInputs inputs;
  ProgramLoader program;
  if (int code = loadPlanInputs("plan", options.file, options.cluster,
                                options.calibration, options.settings,
                                options.color, inputs, program))
    return code;

  // Plan, place and record the predictions; then the moves and the checks.
  mlir::ModuleOp module = program.module();
  analysis::ClusterPlanOptions planOptions =
      inputs.planOptions(options.strategy);
  mlir::FailureOr<analysis::ClusterPlan> plan =
      analysis::planForCluster(module, planOptions);
  if (mlir::failed(plan))
    return program.failedWithErrors();
  analysis::PlacementProblem problem = analysis::buildPlacementProblem(module);
  analysis::applyPlacementPlan(module,
                               analysis::placementFromPlan(problem, *plan));
  analysis::recordPredictions(module, *plan);
  mlir::PassManager pm(module->getContext());
  buildPlanMovesPipeline(pm);
  if (mlir::failed(pm.run(module)))
    return program.failedWithErrors();

  mlir::FailureOr<schedule::Schedule> scheduled =
      exporter::exportSchedule(module);
  if (mlir::failed(scheduled)) {
    std::cerr << options.file << ": the plan cannot be written as a schedule\n";
    return kExitUserError;
  }
  std::vector<schedule::ScheduleError> errors;
  schedule::validateSchedule(*scheduled, errors);
  if (!errors.empty()) {
    for (const schedule::ScheduleError &error : errors)
      std::cerr << options.file
                << ": internal error: " << schedule::formatScheduleError(error)
                << '\n';
    return kExitInternalError;
  }

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
  const planner::Plan &chosen = plan->result.best.plan;
  const planner::Evaluation &evaluation = plan->result.best.evaluation;
  std::string report = planner::planReport(plan->problem, plan->result);
  const std::pair<const char *, std::string> files[] = {
      {"schedule.json", schedule::writeScheduleJson(*scheduled)},
      {"report.txt", report},
      {"timeline.json",
       planner::planTimelineJson(plan->problem, chosen, evaluation)},
      {"plan.dot", planner::planDot(plan->problem, chosen, evaluation)},
      {"gantt.svg", planner::planGanttSvg(plan->problem, chosen, evaluation)},
      {"memory.svg", planner::planMemorySvg(plan->problem, chosen, evaluation)},
  };
  std::string written;
  for (const auto &[name, text] : files) {
    if (!writeFile(dir, name, text))
      return kExitUserError;
    written += std::string(written.empty() ? "" : ", ") + name;
  }
  std::cout << report;
  if (!report.empty() && report.back() != '\n')
    std::cout << '\n';
  std::cout << "wrote " << dir.string() << "/: " << written << '\n';
  return kExitOk;
}

} // namespace rlg::driver
