// Checkpoints: a run's models, optimizers, RNGs and progress on disk.
//
// A checkpoint is the directory DIR/step-000050/ (the completed step count,
// six digits or more) holding
//   model-<name>.pt   each model's parameters and buffers by name
//                     (a torch::serialize archive of CPU tensors),
//   optim-<name>.pt   each optimizer's state (torch::optim's own format),
//   state.json        format version, program, model fingerprints, step,
//                     stage, data positions, RNG states, the executor's run
//                     state, and every file's size and FNV-1a 64 checksum.
// DIR/latest names the newest complete checkpoint. docs/runtime-state.md
// describes the layout and what saving and loading guarantee.
//
// The API knows nothing of the executor: the caller says what to save in a
// CheckpointContent of pointers and plain values.
#pragma once

#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Spec/ModelPresets.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace rlg::runtime {

/// The state.json format this runtime writes and reads.
inline constexpr int kCheckpointFormatVersion = 1;

/// What a checkpoint must have been written for: a model's name, role and
/// architecture numbers (from the schedule).
struct ModelFingerprint {
  std::string name;
  std::string role; // policy, value or reward.
  ModelArch arch;
};

/// The program and its models; loading refuses a checkpoint whose
/// fingerprint differs.
struct RunFingerprint {
  std::string program;
  std::vector<ModelFingerprint> models;
};

/// Where a data source is: the epoch, the next example's index within it,
/// and the seed that shuffles it.
struct DataPosition {
  int64_t epoch = 0;
  int64_t index = 0;
  uint64_t shuffleSeed = 0;
  bool operator==(const DataPosition &other) const {
    return epoch == other.epoch && index == other.index &&
           shuffleSeed == other.shuffleSeed;
  }
};

/// What a checkpoint holds. Saving reads it; loading checks the checkpoint
/// against the fingerprint, models and optimizers, then writes the saved
/// values into the models, optimizers and generators pointed to and into
/// stageIndex, dataPositions and runState.
struct CheckpointContent {
  RunFingerprint fingerprint;
  /// Parameters and buffers (named_parameters/named_buffers, recursively).
  std::map<std::string, torch::nn::Module *> models;
  /// Optimizers, e.g. torch::optim::AdamW, by the name of the model they
  /// update.
  std::map<std::string, torch::optim::Optimizer *> optimizers;
  /// The run's own generators (a sampler's, a shuffler's).
  std::map<std::string, std::mt19937_64 *> hostRngs;
  /// Save and restore torch's default generators (CPU and CUDA).
  bool torchRng = true;
  /// The stage the run is in (its index in the schedule's run).
  int64_t stageIndex = 0;
  std::map<std::string, DataPosition> dataPositions;
  /// Anything else the executor keeps (a KL controller's coefficient, ...).
  nlohmann::json runState = nlohmann::json::object();
};

/// "step-000050": the directory name of the checkpoint after `step` steps.
std::string checkpointDirName(int64_t step);

/// Writes the checkpoint after `step` completed steps to
/// dir/step-<step>/ and returns that path. Everything is written into
/// dir/.step-<step>.tmp-<pid>/ and fsynced first, then renamed into place,
/// then dir/latest is replaced atomically, then all but the `keep` newest
/// checkpoints up to `step` are deleted (keep <= 0: none are). Leftover
/// temporary directories of processes that no longer run are removed.
/// Throws CheckpointError.
std::filesystem::path saveCheckpoint(const std::filesystem::path &dir,
                                     int64_t step,
                                     const CheckpointContent &content,
                                     int keep = 2);

/// What loadCheckpoint read besides the content.
struct LoadedCheckpoint {
  std::filesystem::path path; // The step-N directory.
  int64_t step = 0;           // Completed steps.
  int64_t stageIndex = 0;
  int formatVersion = 0;
};

/// Loads the checkpoint at `path`: a step-N directory, or a checkpoint
/// root, whose `latest` is followed. Checks state.json, every file's size
/// and checksum, the fingerprint and every tensor's name and shape against
/// content.models and content.optimizers before changing anything, then
/// restores the content. Throws CheckpointError.
LoadedCheckpoint loadCheckpoint(const std::filesystem::path &path,
                                CheckpointContent &content);

/// Loads one model's weights from the checkpoint at `path` (a step-N
/// directory or a checkpoint root) into `module`, for a model that starts
/// from another run's weights. `model` names the checkpoint's model to read;
/// empty: the checkpoint's only model. Checks state.json, every file's size
/// and checksum and every tensor's name and shape before changing anything;
/// optimiser states, data positions and generators are left alone. Returns
/// the name of the model read. Throws CheckpointError.
std::string loadModelWeights(const std::filesystem::path &path,
                             const std::string &model,
                             torch::nn::Module &module);

/// The checkpoint dir/latest names, or nullopt when dir holds no
/// checkpoint (a fresh run). Throws CheckpointError when `latest` names a
/// checkpoint that is missing.
std::optional<std::filesystem::path>
findLatestCheckpoint(const std::filesystem::path &dir);

/// The step-N directory `path` means: itself when it holds state.json, else
/// the one its `latest` names. Throws CheckpointError.
std::filesystem::path resolveCheckpoint(const std::filesystem::path &path);

/// The complete checkpoints in dir (step-N directories), by step.
std::vector<std::pair<int64_t, std::filesystem::path>>
listCheckpoints(const std::filesystem::path &dir);

} // namespace rlg::runtime
