// A program planned for a cluster into a validated schedule: what `rlg plan`
// and `rlg launch` share.
#pragma once

#include "ProgramLoader.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Schedule/Schedule.h"

#include "mlir/IR/BuiltinOps.h"

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

/// Exports the planned IR of `module` as a schedule and validates it with
/// the validator the runtime loads it with; prints what went wrong (naming
/// `file`) and returns kExitOk or the exit code to stop with.
int exportValidSchedule(const std::string &file, mlir::ModuleOp module,
                        schedule::Schedule &out);

/// Writes `text` to DIR/NAME through a temporary file and a rename; prints
/// an error and returns false when it cannot.
bool writeFileAtomically(const std::filesystem::path &dir,
                         const std::string &name, const std::string &text);

} // namespace rlg::driver
