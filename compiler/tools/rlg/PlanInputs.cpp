// Reading and checking the cluster, calibration, strategy and settings of
// `rlg plan` and `rlg compare`.
#include "PlanInputs.h"

#include "ClusterErrors.h"
#include "Commands.h"

#include "rlg/Analysis/PlannerWorkload.h"
#include "rlg/Planner/Calibration.h"
#include "rlg/Planner/Strategy.h"
#include "rlg/Support/TextDistance.h"

#include <iostream>

namespace rlg::driver {

bool checkStrategy(const std::string &command, const std::string &strategy) {
  if (planner::findStrategy(strategy))
    return true;
  std::vector<std::string> known;
  for (const planner::StrategyInfo &info : planner::strategies())
    known.push_back(info.name);
  std::string list;
  for (const std::string &name : known)
    list += (list.empty() ? "" : ", ") + name;
  std::string suggestion = didYouMean(strategy, known);
  std::cerr << "rlg " << command << ": error: unknown strategy '" << strategy
            << "'\nhint: " << (suggestion.empty() ? "" : suggestion + " ")
            << "the strategies are: " << list << '\n';
  return false;
}

bool readPlanFiles(const std::string &clusterFile,
                   const std::string &calibrationFile, PlanInputs &inputs) {
  if (!readClusterOrReport(clusterFile, inputs.cluster))
    return false;
  if (calibrationFile.empty())
    return true;
  std::vector<planner::CalibrationError> errors;
  if (planner::readCalibrationFile(calibrationFile, inputs.efficiency, errors))
    return true;
  for (const planner::CalibrationError &error : errors)
    std::cerr << planner::formatCalibrationError(error) << '\n';
  std::cerr << calibrationFile << ": " << errors.size() << " error"
            << (errors.size() == 1 ? "" : "s") << '\n';
  return false;
}

int applySettings(const std::string &command,
                  const std::vector<std::string> &items, ProgramLoader &program,
                  PlanInputs &inputs) {
  std::vector<analysis::SettingError> errors;
  if (!analysis::parsePlanSettings(items,
                                   analysis::modelNames(program.module()),
                                   inputs.settings, errors)) {
    for (const analysis::SettingError &error : errors)
      std::cerr << "rlg " << command << ": error: " << error.message
                << "\nhint: " << error.hint << '\n';
    return kExitUserError;
  }
  mlir::ModuleOp module = program.module();
  if (mlir::failed(analysis::applyPlanSettings(
          module, analysis::findPlannedStep(module), inputs.settings)))
    return program.failedWithErrors();
  return kExitOk;
}

int loadPlanInputs(const std::string &command, const std::string &file,
                   const std::string &clusterFile,
                   const std::string &calibrationFile,
                   const std::vector<std::string> &settings,
                   const std::string &color, PlanInputs &inputs,
                   ProgramLoader &program) {
  if (!readPlanFiles(clusterFile, calibrationFile, inputs))
    return kExitUserError;
  if (int code = program.load(file, color))
    return code;
  return applySettings(command, settings, program, inputs);
}

} // namespace rlg::driver
