// A run's checkpoints: models, optimisers, step counts and data positions.
#include "rlg/Runtime/Executor/RunCheckpoint.h"
#include "rlg/Runtime/Executor/DistributedCheckpoint.h"
#include "rlg/Runtime/Executor/HfModels.h"

namespace rlg::runtime {

namespace {

/// What a checkpoint of `run` holds; the models and optimisers only when
/// `withModels` (a run over several processes assembles whole ones).
CheckpointContent contentOf(RunContext &run, bool withModels = true) {
  CheckpointContent content;
  content.fingerprint.program = run.schedule.program.name;
  for (auto &[name, state] : run.models) {
    content.fingerprint.models.push_back(
        {name, state.decl->role, state.decl->arch});
    if (!withModels)
      continue;
    content.models[name] = state.model.get();
    if (state.optimizer)
      content.optimizers[name] = state.optimizer.get();
  }
  for (auto &[name, data] : run.data)
    content.dataPositions[name] = {data.epoch, data.position, data.seed};
  return content;
}

/// Each trained model that started from a Hugging Face checkpoint, as a
/// Hugging Face folder `dir`/NAME beside the run's own files.
void saveHfFolders(RunContext &run, const CheckpointContent &content,
                   const std::filesystem::path &dir) {
  for (auto &[name, state] : run.models) {
    if (state.decl->hf.empty() || !state.decl->trainable)
      continue;
    auto module = content.models.find(name);
    if (module == content.models.end())
      continue;
    std::map<std::string, at::Tensor> weights;
    for (const auto &item : module->second->named_parameters())
      weights[item.key()] = item.value().detach();
    saveHfModelFolder(*state.decl, state.model->spec(), state.model->role(),
                      weights, dir / name);
  }
}

} // namespace

std::filesystem::path checkpointFolder(const RunContext &run) {
  std::string dir = run.schedule.run.checkpoint
                        ? run.schedule.run.checkpoint->dir
                        : std::string("checkpoints");
  std::filesystem::path path(dir);
  return path.is_absolute() ? path
                            : std::filesystem::path(run.options.outDir) / path;
}

void saveRunCheckpoint(RunContext &run, int64_t stageIndex) {
  bool distributed = run.worldSize() > 1;
  CheckpointContent content = contentOf(run, !distributed);
  WholeModels whole;
  if (distributed)
    gatherWholeState(run, content, whole);
  content.stageIndex = stageIndex;
  for (auto &[name, state] : run.models)
    content.runState["optimizer_steps"][name] = {state.optimizerSteps,
                                                 state.plannedOptimizerSteps};
  if (run.rank() == 0) {
    std::filesystem::path step =
        saveCheckpoint(checkpointFolder(run), run.globalStep, content);
    saveHfFolders(run, content, step / "hf");
  }
  // No rank runs ahead of a checkpoint that may still fail.
  run.groups->world().barrier();
}

int64_t resumeRun(RunContext &run) {
  std::filesystem::path path = run.options.resume == "latest"
                                   ? checkpointFolder(run)
                                   : std::filesystem::path(run.options.resume);
  bool distributed = run.worldSize() > 1;
  CheckpointContent content = contentOf(run, !distributed);
  WholeModels whole;
  if (distributed)
    makeWholeModels(run, content, whole);
  LoadedCheckpoint loaded = loadCheckpoint(path, content);
  if (distributed)
    scatterWholeState(run, whole);
  for (auto &[name, position] : content.dataPositions)
    run.dataSource(name).restore(position.epoch, position.index);
  if (content.runState.contains("optimizer_steps"))
    for (auto &[name, steps] : content.runState["optimizer_steps"].items()) {
      ModelState &state = run.model(name);
      state.optimizerSteps = steps.at(0).get<int64_t>();
      state.plannedOptimizerSteps = steps.at(1).get<int64_t>();
    }
  run.globalStep = loaded.step;
  return loaded.step;
}

} // namespace rlg::runtime
