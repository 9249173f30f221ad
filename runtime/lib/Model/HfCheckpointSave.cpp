// Saving a model as a Hugging Face checkpoint folder transformers loads.
#include "HfCheckpointInternal.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Model/HfCheckpoint.h"
#include "rlg/Runtime/Support/Files.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace rlg::runtime {
namespace {

namespace fs = std::filesystem;
using hf_detail::shapeText;
using nlohmann::json;

/// One tensor to write: its Hugging Face name and the runtime's.
struct Entry {
  std::string hfName;
  std::string ourName;
  int64_t bytes = 0;
};

const char *torchDtypeName(at::ScalarType dtype) {
  switch (dtype) {
  case at::kFloat:
    return "float32";
  case at::kBFloat16:
    return "bfloat16";
  case at::kHalf:
    return "float16";
  default:
    return nullptr;
  }
}

/// Every weight `spec` and `role` need, present and of the right shape, and
/// no others (a tied policy's lm_head.weight is tolerated and left out).
void checkWeights(const fs::path &dir, const ModelSpec &spec, ModelRole role,
                  const std::map<std::string, at::Tensor> &weights) {
  hf_detail::WeightMismatches bad;
  std::map<std::string, std::vector<int64_t>> expected;
  for (const auto &[name, shape] : expectedWeightShapes(spec, role)) {
    expected[name] = shape;
    auto it = weights.find(name);
    if (it == weights.end() || !it->second.defined())
      bad.missing.push_back(name + " " + shapeText(shape));
    else if (it->second.sizes().vec() != shape)
      bad.misshapen.push_back(name + ": expected " + shapeText(shape) +
                              ", found " + shapeText(it->second.sizes().vec()));
    else if (!at::isFloatingType(it->second.scalar_type()))
      bad.notFloat.push_back(name);
  }
  for (const auto &[name, tensor] : weights) {
    bool tiedHead = name == "lm_head.weight" && role == ModelRole::Policy &&
                    spec.tieEmbeddings;
    if (!expected.count(name) && !tiedHead)
      bad.unexpected.push_back(name + " " + shapeText(tensor.sizes().vec()));
  }
  if (!bad.empty())
    throw CheckpointError(dir,
                          "cannot save: the weights do not match the model "
                          "spec:" +
                              bad.describe(),
                          "pass the whole weights of one model "
                          "(gatherFullWeights) with its own spec and role");
}

void checkCopyFiles(const fs::path &dir,
                    const std::vector<fs::path> &copyFiles) {
  for (const fs::path &file : copyFiles) {
    std::string name = file.filename().string();
    bool ours = name == "config.json" ||
                name == "model.safetensors.index.json" ||
                (name.size() > 12 &&
                 name.compare(name.size() - 12, 12, ".safetensors") == 0);
    if (ours)
      throw CheckpointError(dir, "cannot copy " + file.string() +
                                     ": the checkpoint writes its own " + name);
    if (!fs::is_regular_file(file))
      throw CheckpointError(dir, "cannot copy " + file.string() +
                                     ": it is not a file");
  }
}

/// A folder saveHfCheckpoint may replace: empty, or a checkpoint.
bool replaceable(const fs::path &target) {
  if (!fs::is_directory(target))
    return false;
  if (fs::is_empty(target))
    return true;
  return fs::exists(target / "config.json") ||
         fs::exists(target / "model.safetensors") ||
         fs::exists(target / "model.safetensors.index.json");
}

/// The tensors in the model's order, split into shards of at most
/// `maxShardBytes` (a bigger tensor alone in its own).
std::vector<std::vector<Entry>> planShards(const std::vector<Entry> &entries,
                                           int64_t maxShardBytes) {
  std::vector<std::vector<Entry>> shards;
  int64_t bytes = 0;
  for (const Entry &entry : entries) {
    if (shards.empty() || bytes + entry.bytes > maxShardBytes) {
      shards.emplace_back();
      bytes = 0;
    }
    shards.back().push_back(entry);
    bytes += entry.bytes;
  }
  return shards;
}

std::string shardName(size_t index, size_t count) {
  char name[64];
  std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors",
                index + 1, count);
  return name;
}

void writeJson(const fs::path &path, const json &value) {
  writeFileAtomic(path, value.dump(2) + "\n");
}

/// Writes the whole checkpoint into `temp`.
void writeInto(const fs::path &temp, const HfModelConfig &config,
               const std::vector<Entry> &entries,
               const std::map<std::string, at::Tensor> &weights,
               at::ScalarType dtype, int64_t maxShardBytes,
               const std::vector<fs::path> &copyFiles) {
  writeJson(temp / "config.json", hfConfigJson(config));
  json generation = hfGenerationConfigJson(config);
  if (!generation.empty())
    writeJson(temp / "generation_config.json", generation);
  std::vector<std::vector<Entry>> shards = planShards(entries, maxShardBytes);
  std::map<std::string, std::string> metadata = {{"format", "pt"}};
  json weightMap = json::object();
  int64_t totalBytes = 0;
  for (size_t i = 0; i < shards.size(); ++i) {
    std::string file =
        shards.size() == 1 ? "model.safetensors" : shardName(i, shards.size());
    std::map<std::string, at::Tensor> tensors;
    for (const Entry &entry : shards[i]) {
      tensors[entry.hfName] = weights.at(entry.ourName)
                                  .detach()
                                  .to(at::kCPU)
                                  .to(dtype)
                                  .contiguous();
      weightMap[entry.hfName] = file;
      totalBytes += entry.bytes;
    }
    writeSafetensors(temp / file, tensors, metadata);
  }
  if (shards.size() > 1)
    writeJson(temp / "model.safetensors.index.json",
              {{"metadata", {{"total_size", totalBytes}}},
               {"weight_map", weightMap}});
  for (const fs::path &file : copyFiles)
    fs::copy_file(file, temp / file.filename(),
                  fs::copy_options::overwrite_existing);
  syncDirectory(temp);
}

} // namespace

void saveHfCheckpoint(const fs::path &dir, const HfModelConfig &config,
                      const std::map<std::string, at::Tensor> &weights,
                      at::ScalarType dtype, int64_t maxShardBytes,
                      const std::vector<fs::path> &copyFiles) {
  const char *dtypeName = torchDtypeName(dtype);
  if (!dtypeName)
    throw CheckpointError(dir, "cannot save in this dtype",
                          "save in float32, bfloat16 or float16");
  if (maxShardBytes < 1)
    throw CheckpointError(dir, "the largest shard must be >= 1 byte, got " +
                                   std::to_string(maxShardBytes));
  HfModelConfig written = config;
  written.dtype = dtypeName;
  hfConfigJson(written); // refuses a config transformers cannot express
  ModelSpec spec = modelSpecFromHfConfig(written);
  ModelRole role = parseModelRole(written.role);
  checkWeights(dir, spec, role, weights);
  checkCopyFiles(dir, copyFiles);

  std::vector<Entry> entries;
  int64_t elementBytes = static_cast<int64_t>(c10::elementSize(dtype));
  for (const auto &[name, shape] : expectedWeightShapes(spec, role)) {
    const at::Tensor &tensor = weights.at(name);
    // transformers' sequence classifiers have no bias; only a nonzero one
    // is worth keeping (for this runtime).
    if (name == "value_head.bias" && role == ModelRole::Reward &&
        !tensor.ne(0).any().item<bool>())
      continue;
    entries.push_back(
        {hfNameOf(name, role), name, tensor.numel() * elementBytes});
  }

  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty())
    target = target.parent_path();
  fs::path parent = target.parent_path();
  std::string name = target.filename().string();
  std::string pid = std::to_string(currentProcessId());
  if (fs::exists(target) && !replaceable(target))
    throw CheckpointError(target,
                          "exists and is not a checkpoint folder; it is left "
                          "alone",
                          "save to a new folder, or one holding a checkpoint");
  fs::create_directories(parent);
  fs::path temp = parent / ("." + name + ".tmp-" + pid);
  fs::remove_all(temp);
  fs::create_directories(temp);
  try {
    writeInto(temp, written, entries, weights, dtype, maxShardBytes, copyFiles);
    if (fs::exists(target)) {
      fs::path previous = parent / ("." + name + ".old-" + pid);
      fs::remove_all(previous);
      fs::rename(target, previous);
      fs::rename(temp, target);
      fs::remove_all(previous);
    } else {
      fs::rename(temp, target);
    }
    syncDirectory(parent);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    throw;
  }
}

void saveHfCheckpoint(const fs::path &dir, const ModelSpec &spec,
                      ModelRole role, const std::string &modelType,
                      const std::map<std::string, at::Tensor> &weights,
                      at::ScalarType dtype, int64_t maxShardBytes,
                      const std::vector<fs::path> &copyFiles) {
  saveHfCheckpoint(dir, hfConfigFromSpec(spec, role, modelType), weights, dtype,
                   maxShardBytes, copyFiles);
}

} // namespace rlg::runtime
