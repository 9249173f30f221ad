// Planning a program into a schedule, and writing the files that come of it.
#include "PlanSchedule.h"

#include "Commands.h"

#include "rlg/Export/ExportSchedule.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include <fstream>
#include <iostream>

namespace rlg::driver {

int planSchedule(const std::string &file, ProgramLoader &program,
                 const analysis::ClusterPlanOptions &options,
                 PlannedSchedule &out) {
  // Plan, place and record the predictions; then the moves and the checks.
  mlir::ModuleOp module = program.module();
  mlir::FailureOr<analysis::ClusterPlan> plan =
      analysis::planForCluster(module, options);
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

  if (int code = exportValidSchedule(file, module, out.schedule))
    return code;
  out.plan = std::move(*plan);
  return kExitOk;
}

bool writeFileAtomically(const std::filesystem::path &dir,
                         const std::string &name, const std::string &text) {
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

int exportValidSchedule(const std::string &file, mlir::ModuleOp module,
                        schedule::Schedule &out) {
  mlir::FailureOr<schedule::Schedule> scheduled =
      exporter::exportSchedule(module);
  if (mlir::failed(scheduled)) {
    std::cerr << file << ": the plan cannot be written as a schedule\n";
    return kExitUserError;
  }
  // The schedule must pass the same validator the runtime loads it with.
  std::vector<schedule::ScheduleError> errors;
  schedule::validateSchedule(*scheduled, errors);
  if (!errors.empty()) {
    for (const schedule::ScheduleError &error : errors)
      std::cerr << file
                << ": internal error: " << schedule::formatScheduleError(error)
                << '\n';
    return kExitInternalError;
  }
  out = std::move(*scheduled);
  return kExitOk;
}

} // namespace rlg::driver
