// Pieces the checkpoint writer and reader share: names, state.json fields.
#pragma once

#include "rlg/Runtime/Checkpoint/Checkpoint.h"

#include <torch/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rlg::runtime::checkpoint_detail {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr const char *kStateFile = "state.json";
inline constexpr const char *kLatestFile = "latest";

/// "model-<name>.pt" / "optim-<name>.pt", with characters other than
/// letters, digits, '_', '-' and '.' replaced and a hash added when any was.
std::string modelFileName(const std::string &model);
std::string optimizerFileName(const std::string &optimizer);

/// The step of a "step-000050" name, or nullopt for other names.
std::optional<int64_t> parseCheckpointDirName(const std::string &name);

/// The owner's process id of a ".step-N.tmp-<pid>" / ".step-N.old-<pid>" /
/// "latest.tmp-<pid>" entry, or nullopt for other names.
std::optional<int64_t> temporaryOwner(const std::string &name);

/// Removes temporaries of processes that no longer run, and this process's.
void removeStaleTemporaries(const fs::path &dir);

/// A module's parameters and buffers, by their dotted names.
std::vector<std::pair<std::string, at::Tensor>>
namedTensors(torch::nn::Module &module);

/// "[128, 64]".
std::string shapeText(at::IntArrayRef sizes);
std::string shapeText(const std::vector<int64_t> &sizes);

json fingerprintToJson(const RunFingerprint &fingerprint);

/// The checksum state.json carries of itself: FNV-1a 64 of the compact dump
/// of the object without its "state_checksum" member.
std::string stateChecksum(const json &state);

} // namespace rlg::runtime::checkpoint_detail
