// What `rlg plan` and `rlg compare` read besides the program: the cluster
// file, an optional calibration file, the strategies and the --set
// settings, each checked with a clear message.
#pragma once

#include "ProgramLoader.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Analysis/PlanSettings.h"
#include "rlg/Planner/PhaseTimes.h"
#include "rlg/Spec/ClusterSpec.h"

#include <string>
#include <vector>

namespace rlg::driver {

struct PlanInputs {
  ClusterSpec cluster;
  planner::Efficiency efficiency;
  analysis::PlanSettings settings;
  /// Let layouts have pipeline stages: a what-if for sizing, never for a
  /// schedule that runs.
  bool allowPipeline = false;

  /// The planner's options for these inputs and `strategy`.
  analysis::ClusterPlanOptions planOptions(const std::string &strategy) const {
    analysis::ClusterPlanOptions options;
    options.strategy = strategy;
    options.cluster = cluster;
    options.settings = settings;
    options.efficiency = efficiency;
    options.allowPipeline = allowPipeline;
    return options;
  }
};

/// Whether the planner knows `strategy`; prints the known ones if not.
bool checkStrategy(const std::string &command, const std::string &strategy);

/// Reads the cluster file and the calibration file ("" for none); prints
/// their problems and returns false when one is not valid.
bool readPlanFiles(const std::string &clusterFile,
                   const std::string &calibrationFile, PlanInputs &inputs);

/// Parses `items` against the program's models and applies them to its IR;
/// returns kExitOk or the exit code to stop with.
int applySettings(const std::string &command,
                  const std::vector<std::string> &items, ProgramLoader &program,
                  PlanInputs &inputs);

/// What `rlg plan` and `rlg compare` have in common: reads the cluster and
/// calibration files, loads the program and applies the settings to it;
/// returns kExitOk or the exit code to stop with.
int loadPlanInputs(const std::string &command, const std::string &file,
                   const std::string &clusterFile,
                   const std::string &calibrationFile,
                   const std::vector<std::string> &settings,
                   const std::string &color, PlanInputs &inputs,
                   ProgramLoader &program);

} // namespace rlg::driver
