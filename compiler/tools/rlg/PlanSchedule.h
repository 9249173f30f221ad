// A program planned for a cluster into a validated schedule: what `rlg plan`
// and `rlg launch` share.
#pragma once

#include "ProgramLoader.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Schedule/Schedule.h"

#include <filesystem>
#include <string>

namespace rlg::driver {

struct PlannedSchedule {
  analysis::ClusterPlan plan;
  schedule::Schedule schedule;
};

/// Plans the loaded program (its settings applied) with `options`, writes
/// the plan into its IR with the moves it needs, and exports and validates
/// the schedule; prints what went wrong and returns kExitOk or the exit
/// code to stop with.
int planSchedule(const std::string &file, ProgramLoader &program,
                 const analysis::ClusterPlanOptions &options,
                 PlannedSchedule &out);

/// Writes `text` to DIR/NAME through a temporary file and a rename; prints
/// an error and returns false when it cannot.
bool writeFileAtomically(const std::filesystem::path &dir,
                         const std::string &name, const std::string &text);

} // namespace rlg::driver
