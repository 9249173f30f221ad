// Saving and resuming a run: what of the executor's state goes into a
// checkpoint, and where checkpoints live.
#pragma once

#include "rlg/Runtime/Checkpoint/Checkpoint.h"
#include "rlg/Runtime/Executor/RunContext.h"

namespace rlg::runtime {

/// The run's checkpoint folder: the schedule's checkpoint dir (default
/// "checkpoints"), relative to the run folder.
std::filesystem::path checkpointFolder(const RunContext &run);

/// Saves the run after `run.globalStep` completed steps.
void saveRunCheckpoint(RunContext &run, int64_t stageIndex);

/// Restores models, optimisers, data positions and step counts from
/// options.resume; returns the completed step count. Throws CheckpointError.
int64_t resumeRun(RunContext &run);

} // namespace rlg::runtime
