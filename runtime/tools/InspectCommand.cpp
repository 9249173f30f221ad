// `rlg-runtime inspect`: a checkpoint's tensors and config, listed.
#include "InspectCommand.h"

#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Spec/HfConfig.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

namespace rlg::runtime {
namespace {

namespace fs = std::filesystem;

struct Listed {
  std::string name;
  std::string file; // the shard, relative to the folder
  SafetensorsEntry entry;
};

/// The safetensors files of `path`: the file itself, an index's shards, or
/// a folder's index shards, model.safetensors or every *.safetensors.
std::vector<fs::path> weightFiles(const fs::path &path) {
  auto shardsOf = [](const fs::path &index) {
    std::ifstream in(index);
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object() ||
        !json.contains("weight_map") || !json["weight_map"].is_object())
      throw CheckpointError(index, "not a safetensors index (no weight_map)",
                            "an index maps each tensor name to its shard");
    std::set<std::string> shards;
    for (const auto &[name, shard] : json["weight_map"].items()) {
      if (!shard.is_string())
        throw CheckpointError(index, "weight_map[\"" + name +
                                         "\"] is not a file name");
      shards.insert(shard.get<std::string>());
    }
    std::vector<fs::path> out;
    for (const std::string &shard : shards)
      out.push_back(index.parent_path() / shard);
    return out;
  };
  if (fs::is_regular_file(path)) {
    std::string name = path.filename().string();
    if (name.size() > 11 && name.substr(name.size() - 11) == ".index.json")
      return shardsOf(path);
    return {path};
  }
  if (!fs::is_directory(path))
    throw CheckpointError(path, "no such file or folder",
                          "give a checkpoint folder, a .safetensors file or "
                          "a model.safetensors.index.json");
  if (fs::exists(path / "model.safetensors.index.json"))
    return shardsOf(path / "model.safetensors.index.json");
  if (fs::exists(path / "model.safetensors"))
    return {path / "model.safetensors"};
  std::vector<fs::path> out;
  for (const fs::directory_entry &entry : fs::directory_iterator(path))
    if (entry.path().extension() == ".safetensors")
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  if (out.empty())
    throw CheckpointError(path, "the folder holds no .safetensors file",
                          "a Hugging Face checkpoint has model.safetensors "
                          "or shards with model.safetensors.index.json");
  return out;
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string withCommas(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string configSummary(const HfModelConfig &c) {
  std::ostringstream out;
  out << c.architecture << " (" << c.modelType << ", " << c.role
      << "): " << c.arch.layers << " layers, hidden " << c.arch.hidden
      << ", ffn " << c.arch.ffn << ", " << c.arch.heads << " heads, "
      << c.arch.kvHeads << " kv heads, vocabulary " << c.arch.vocab
      << (c.arch.tieEmbeddings ? ", tied embeddings" : "")
      << (c.qkvBias ? ", q/k/v biases" : "") << ", rope theta " << c.ropeTheta
      << " (" << ropeScalingTypeName(c.ropeScaling.type)
      << " scaling), rms eps " << c.rmsEps << ", " << c.maxPositions
      << " positions" << (c.dtype.empty() ? "" : ", " + c.dtype);
  return out.str();
}

nlohmann::json configJson(const HfModelConfig &c) {
  return {{"architecture", c.architecture},
          {"model_type", c.modelType},
          {"role", c.role},
          {"layers", c.arch.layers},
          {"hidden", c.arch.hidden},
          {"ffn", c.arch.ffn},
          {"heads", c.arch.heads},
          {"kv_heads", c.arch.kvHeads},
          {"vocab", c.arch.vocab},
          {"tie_embeddings", c.arch.tieEmbeddings},
          {"qkv_bias", c.qkvBias},
          {"rope_theta", c.ropeTheta},
          {"rope_scaling", ropeScalingTypeName(c.ropeScaling.type)},
          {"rms_eps", c.rmsEps},
          {"max_positions", c.maxPositions},
          {"dtype", c.dtype}};
}

} // namespace

int inspectCommand(const InspectFlags &flags) {
  fs::path path(flags.path);
  std::optional<HfModelConfig> config;
  fs::path folder = fs::is_directory(path) ? path : path.parent_path();
  if (fs::exists(folder / "config.json"))
    config = readHfConfig(folder); // HfConfigError for a bad one
  std::vector<Listed> listed;
  int64_t parameters = 0, bytes = 0;
  std::vector<fs::path> files = weightFiles(path);
  for (const fs::path &file : files) {
    SafetensorsFile open(file);
    for (const auto &[name, entry] : open.entries()) {
      listed.push_back({name, fs::relative(file, folder).string(), entry});
      int64_t count = 1;
      for (int64_t d : entry.shape)
        count *= d;
      parameters += count;
      bytes += entry.end - entry.begin;
    }
  }
  std::sort(listed.begin(), listed.end(),
            [](const Listed &a, const Listed &b) { return a.name < b.name; });
  if (flags.json) {
    nlohmann::json out = {{"path", path.string()},
                          {"files", files.size()},
                          {"parameters", parameters},
                          {"bytes", bytes},
                          {"tensors", nlohmann::json::array()}};
    if (config)
      out["config"] = configJson(*config);
    for (const Listed &t : listed)
      out["tensors"].push_back({{"name", t.name},
                                {"dtype", t.entry.dtype},
                                {"shape", t.entry.shape},
                                {"file", t.file}});
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  std::cout << path.string() << '\n';
  if (config)
    std::cout << "config: " << configSummary(*config) << '\n';
  std::cout << "tensors: " << listed.size() << " in " << files.size()
            << (files.size() == 1 ? " file" : " files") << ", "
            << withCommas(parameters) << " values, " << withCommas(bytes)
            << " bytes\n";
  size_t width = 0;
  for (const Listed &t : listed)
    width = std::max(width, t.name.size());
  for (const Listed &t : listed) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(width))
              << t.name << "  " << std::setw(4) << t.entry.dtype << "  "
              << shapeText(t.entry.shape);
    if (files.size() > 1)
      std::cout << "  " << t.file;
    std::cout << '\n';
  }
  return 0;
}

} // namespace rlg::runtime
