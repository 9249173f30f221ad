// Checkpoints of a run over several processes: whole weights and optimiser
// state assembled on rank 0, written as one process writes them, and split
// again on resume.
#pragma once

#include "rlg/Runtime/Checkpoint/Checkpoint.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <memory>

namespace rlg::runtime {

/// Whole, unsplit copies of the run's models and optimisers: what a
/// checkpoint holds, in the layout one process trains in.
struct WholeModels {
  std::map<std::string, Model> models;
  std::map<std::string, std::unique_ptr<torch::optim::AdamW>> optimizers;
};

/// A collective of every rank: each model's whole weights and optimiser
/// state (gathered over tensor-parallel slices and ZeRO-1 owners, and sent
/// by the first rank of its mesh when rank 0 does not train it) into
/// `content` on rank 0. `whole` keeps the copies alive.
void gatherWholeState(RunContext &run, CheckpointContent &content,
                      WholeModels &whole);

/// Empty whole copies of every model and optimiser, for loading a
/// checkpoint into before scatterWholeState.
void makeWholeModels(RunContext &run, CheckpointContent &content,
                     WholeModels &whole);

/// Each rank keeps its slices of the loaded whole weights and optimiser
/// states.
void scatterWholeState(RunContext &run, WholeModels &whole);

} // namespace rlg::runtime
