// Reading a checkpoint: everything is checked before anything changes.
#include "CheckpointInternal.h"

#include "rlg/Runtime/Checkpoint/RngState.h"
#include "rlg/Runtime/Support/Encoding.h"
#include "rlg/Runtime/Support/Files.h"

#include <torch/serialize/input-archive.h>
#include <torch/utils.h>

#include <memory>
#include <set>

namespace rlg::runtime {
using namespace checkpoint_detail;

namespace {

const char *kDamagedHint =
    "the checkpoint is damaged; resume from an earlier one (--resume "
    "DIR/step-N) or start a fresh run";
const char *kOtherRunHint =
    "a checkpoint resumes only the program and models it was written for; "
    "pass the checkpoint of this run or start a fresh run";

/// Typed access to state.json's members, with errors naming the file.
class StateFields {
public:
  explicit StateFields(fs::path file) : file_(std::move(file)) {}

  const json &member(const json &object, const std::string &key,
                     const std::string &where) const {
    if (!object.is_object() || !object.contains(key))
      fail("has no '" + key + "'" + in(where));
    return object.at(key);
  }
  const json &object(const json &parent, const std::string &key,
                     const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_object())
      fail("'" + key + "'" + in(where) + " is not an object");
    return value;
  }
  const json &array(const json &parent, const std::string &key,
                    const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_array())
      fail("'" + key + "'" + in(where) + " is not an array");
    return value;
  }
  int64_t integer(const json &parent, const std::string &key,
                  const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_number_integer())
      fail("'" + key + "'" + in(where) + " is not an integer");
    return value.get<int64_t>();
  }
  uint64_t unsignedInteger(const json &parent, const std::string &key,
                           const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_number_unsigned())
      fail("'" + key + "'" + in(where) + " is not a non-negative integer");
    return value.get<uint64_t>();
  }
  std::string text(const json &parent, const std::string &key,
                   const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_string())
      fail("'" + key + "'" + in(where) + " is not a string");
    return value.get<std::string>();
  }
  bool boolean(const json &parent, const std::string &key,
               const std::string &where) const {
    const json &value = member(parent, key, where);
    if (!value.is_boolean())
      fail("'" + key + "'" + in(where) + " is not true or false");
    return value.get<bool>();
  }
  std::string bytes64(const json &parent, const std::string &key,
                      const std::string &where) const {
    std::optional<std::string> bytes = base64Decode(text(parent, key, where));
    if (!bytes)
      fail("'" + key + "'" + in(where) + " is not base64");
    return *bytes;
  }

  [[noreturn]] void fail(const std::string &problem,
                         const std::string &hint = kDamagedHint) const {
    throw CheckpointError(file_, problem, hint);
  }
  const fs::path &file() const { return file_; }

private:
  static std::string in(const std::string &where) {
    return where.empty() ? "" : " in " + where;
  }
  fs::path file_;
};

json readState(const fs::path &checkpoint) {
  fs::path file = checkpoint / kStateFile;
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw CheckpointError(file, "is missing",
                          "the directory is not a complete checkpoint; " +
                              std::string(kDamagedHint));
  std::string text;
  try {
    text = readFileBytes(file);
  } catch (const FileError &error) {
    throw CheckpointError(file, error.message(),
                          "check the file's permissions");
  }
  json state;
  try {
    state = json::parse(text);
  } catch (const json::parse_error &error) {
    throw CheckpointError(
        file, std::string("is not valid JSON (") + error.what() + ")",
        kDamagedHint);
  }
  StateFields fields(file);
  if (!state.is_object())
    fields.fail("is not a JSON object");
  const json &version = fields.member(state, "format_version", "");
  if (!version.is_number_integer())
    fields.fail("'format_version' is not an integer");
  int64_t number = version.get<int64_t>();
  if (number > kCheckpointFormatVersion)
    fields.fail("has checkpoint format version " + std::to_string(number) +
                    ", newer than this runtime reads (version " +
                    std::to_string(kCheckpointFormatVersion) + ")",
                "resume with the rlg that wrote the checkpoint, or a newer "
                "one");
  if (number < 1)
    fields.fail("has unknown checkpoint format version " +
                std::to_string(number));
  std::string expected = fields.text(state, "state_checksum", "");
  std::string actual = stateChecksum(state);
  if (expected != actual)
    fields.fail("does not match its own checksum (state_checksum " + expected +
                ", contents " + actual + "): the file was edited or damaged");
  return state;
}

/// Checks every listed file's size and checksum; returns the listed names.
std::set<std::string> checkFiles(const fs::path &checkpoint, const json &state,
                                 const StateFields &fields) {
  std::set<std::string> listed;
  for (const json &entry : fields.array(state, "files", "")) {
    std::string name = fields.text(entry, "path", "'files'");
    uint64_t bytes = fields.unsignedInteger(entry, "bytes", "'files'");
    std::string checksum = fields.text(entry, "fnv1a64", "'files'");
    if (name.empty() || name.find('/') != std::string::npos || name == "." ||
        name == "..")
      fields.fail("lists a file outside the checkpoint: \"" + name + "\"");
    listed.insert(name);
    fs::path path = checkpoint / name;
    std::error_code ec;
    if (!fs::exists(path, ec))
      throw CheckpointError(path, "is missing (state.json lists it)",
                            kDamagedHint);
    FileDigest digest;
    try {
      digest = digestFile(path);
    } catch (const FileError &error) {
      throw CheckpointError(path, error.message(), kDamagedHint);
    }
    if (digest.bytes < bytes)
      throw CheckpointError(path,
                            "is truncated: " + std::to_string(digest.bytes) +
                                " bytes, but state.json says " +
                                std::to_string(bytes),
                            kDamagedHint);
    if (digest.bytes > bytes)
      throw CheckpointError(path,
                            "has " + std::to_string(digest.bytes) +
                                " bytes, but state.json says " +
                                std::to_string(bytes),
                            kDamagedHint);
    if (hex64(digest.fnv1a64) != checksum)
      throw CheckpointError(path,
                            "is corrupt: its FNV-1a 64 checksum is " +
                                hex64(digest.fnv1a64) +
                                " but state.json says " + checksum,
                            kDamagedHint);
  }
  return listed;
}

void checkFingerprint(const json &saved, const RunFingerprint &live,
                      const StateFields &fields) {
  std::string program = fields.text(saved, "program", "'fingerprint'");
  if (program != live.program)
    fields.fail("was written for program '" + program + "' but this run is '" +
                    live.program + "'",
                kOtherRunHint);
  std::map<std::string, const json *> savedModels;
  for (const json &model : fields.array(saved, "models", "'fingerprint'"))
    savedModels[fields.text(model, "name", "'fingerprint'")] = &model;
  std::set<std::string> liveNames;
  for (const ModelFingerprint &model : live.models) {
    liveNames.insert(model.name);
    auto it = savedModels.find(model.name);
    if (it == savedModels.end())
      fields.fail("has no model '" + model.name + "', which this run has",
                  kOtherRunHint);
    const json &entry = *it->second;
    std::string where = "model '" + model.name + "'";
    std::string role = fields.text(entry, "role", where);
    if (role != model.role)
      fields.fail(where + ": the checkpoint has role " + role +
                      " but this run has role " + model.role,
                  kOtherRunHint);
    const json &arch = fields.object(entry, "arch", where);
    const ModelArch &a = model.arch;
    std::pair<const char *, int64_t> numbers[] = {
        {"layers", a.layers}, {"hidden", a.hidden},    {"ffn", a.ffn},
        {"heads", a.heads},   {"kv_heads", a.kvHeads}, {"vocab", a.vocab}};
    for (const auto &[key, value] : numbers) {
      int64_t savedValue = fields.integer(arch, key, where);
      if (savedValue != value)
        fields.fail(where + ": the checkpoint has " + key + " " +
                        std::to_string(savedValue) + " but this run has " +
                        key + " " + std::to_string(value),
                    kOtherRunHint);
    }
    bool tied = fields.boolean(arch, "tie_embeddings", where);
    if (tied != a.tieEmbeddings)
      fields.fail(where + ": the checkpoint has tie_embeddings " +
                      (tied ? "true" : "false") + " but this run has " +
                      (a.tieEmbeddings ? "true" : "false"),
                  kOtherRunHint);
  }
  for (const auto &[name, entry] : savedModels)
    if (!liveNames.count(name))
      fields.fail("has model '" + name + "', which this run does not have",
                  kOtherRunHint);
}

/// The file a "models"/"optimizers" entry names, checked to be listed.
fs::path entryFile(const fs::path &checkpoint, const json &entry,
                   const std::string &where,
                   const std::set<std::string> &listed,
                   const StateFields &fields) {
  std::string name = fields.text(entry, "file", where);
  if (!listed.count(name))
    fields.fail(where + " names " + name + ", which 'files' does not list");
  return checkpoint / name;
}

std::unique_ptr<torch::serialize::InputArchive>
openArchive(const fs::path &path, const at::Device &device) {
  auto archive = std::make_unique<torch::serialize::InputArchive>();
  try {
    archive->load_from(path.string(), device);
  } catch (const c10::Error &error) {
    throw CheckpointError(path,
                          std::string("cannot be read as a torch archive: ") +
                              error.what_without_backtrace(),
                          kDamagedHint);
  }
  return archive;
}

std::map<std::string, at::Tensor> readModelTensors(const fs::path &path,
                                                   const std::string &model) {
  auto archive = openArchive(path, at::Device(at::kCPU));
  std::map<std::string, at::Tensor> tensors;
  try {
    for (const std::string &key : archive->keys()) {
      c10::IValue value;
      archive->read(key, value);
      if (value.isTensor())
        tensors[key] = value.toTensor();
    }
  } catch (const c10::Error &error) {
    throw CheckpointError(path,
                          "cannot read model '" + model +
                              "': " + error.what_without_backtrace(),
                          kDamagedHint);
  }
  return tensors;
}

/// Every difference between the saved tensors and the live module's.
void checkModelTensors(
    const fs::path &path, const std::string &model,
    const std::map<std::string, at::Tensor> &saved, torch::nn::Module &module,
    const std::string &hint = "the checkpoint was written for a model of other "
                              "sizes; resume with the program and model sizes "
                              "it was written for, or start a fresh run") {
  std::vector<std::string> problems;
  std::set<std::string> liveNames;
  for (const auto &[name, tensor] : namedTensors(module)) {
    liveNames.insert(name);
    std::string full = model + "." + name;
    auto it = saved.find(name);
    if (it == saved.end())
      problems.push_back("checkpoint has no " + full +
                         ", which the model has " + shapeText(tensor.sizes()));
    else if (it->second.sizes() != tensor.sizes())
      problems.push_back("checkpoint has " + full + " " +
                         shapeText(it->second.sizes()) + " but the model has " +
                         shapeText(tensor.sizes()));
  }
  for (const auto &[name, tensor] : saved)
    if (!liveNames.count(name))
      problems.push_back("checkpoint has " + model + "." + name + " " +
                         shapeText(tensor.sizes()) +
                         ", which the model does not have");
  if (problems.empty())
    return;
  const size_t shown = 8;
  std::string message = problems.front();
  for (size_t i = 1; i < problems.size() && i < shown; ++i)
    message += "\n  " + problems[i];
  if (problems.size() > shown)
    message +=
        "\n  ... and " + std::to_string(problems.size() - shown) + " more";
  throw CheckpointError(path, message, hint);
}

void checkOptimizerShapes(const json &savedGroups, const std::string &name,
                          torch::optim::Optimizer &optimizer,
                          const StateFields &fields) {
  std::string where = "optimizer '" + name + "'";
  if (!savedGroups.is_array())
    fields.fail("'param_groups' of " + where + " is not an array");
  const auto &groups = optimizer.param_groups();
  if (savedGroups.size() != groups.size())
    fields.fail(where + " was saved with " +
                    std::to_string(savedGroups.size()) +
                    " parameter groups but this run's has " +
                    std::to_string(groups.size()),
                kOtherRunHint);
  for (size_t g = 0; g < groups.size(); ++g) {
    const json &shapes = savedGroups[g];
    const auto &params = groups[g].params();
    if (!shapes.is_array() || shapes.size() != params.size())
      fields.fail(where + " group " + std::to_string(g) + " was saved with " +
                      std::to_string(shapes.is_array() ? shapes.size() : 0) +
                      " parameters but this run's has " +
                      std::to_string(params.size()),
                  kOtherRunHint);
    for (size_t p = 0; p < params.size(); ++p) {
      std::vector<int64_t> shape;
      try {
        shape = shapes[p].get<std::vector<int64_t>>();
      } catch (const json::exception &) {
        fields.fail("a shape of " + where + " is not a list of integers");
      }
      if (at::IntArrayRef(shape) != params[p].sizes())
        fields.fail(where + " parameter " + std::to_string(p) + " of group " +
                        std::to_string(g) + " was saved with shape " +
                        shapeText(shape) + " but this run's is " +
                        shapeText(params[p].sizes()),
                    kOtherRunHint);
    }
  }
}

at::Device optimizerDevice(torch::optim::Optimizer &optimizer) {
  for (const auto &group : optimizer.param_groups())
    for (const at::Tensor &param : group.params())
      if (param.defined())
        return param.device();
  return at::Device(at::kCPU);
}

} // namespace

LoadedCheckpoint loadCheckpoint(const fs::path &path,
                                CheckpointContent &content) {
  fs::path checkpoint = resolveCheckpoint(path);
  json state = readState(checkpoint);
  StateFields fields(checkpoint / kStateFile);
  std::set<std::string> listed = checkFiles(checkpoint, state, fields);

  LoadedCheckpoint loaded;
  loaded.path = checkpoint;
  loaded.formatVersion =
      static_cast<int>(state.at("format_version").get<int64_t>());
  loaded.step = fields.integer(state, "step", "");
  loaded.stageIndex = fields.integer(state, "stage_index", "");
  checkFingerprint(fields.object(state, "fingerprint", ""), content.fingerprint,
                   fields);

  // Models: every tensor read and checked against the live module.
  const json &models = fields.object(state, "models", "");
  std::map<std::string, std::map<std::string, at::Tensor>> modelTensors;
  for (const auto &[name, module] : content.models) {
    if (!module)
      fields.fail("model '" + name + "' is a null pointer", "");
    if (!models.contains(name))
      fields.fail("has no weights for model '" + name + "'", kOtherRunHint);
    fs::path file = entryFile(checkpoint, models.at(name),
                              "model '" + name + "'", listed, fields);
    auto tensors = readModelTensors(file, name);
    checkModelTensors(file, name, tensors, *module);
    modelTensors[name] = std::move(tensors);
  }

  // Optimizers: the parameter shapes they were saved with must be the run's.
  const json &optimizers = fields.object(state, "optimizers", "");
  std::map<std::string, std::unique_ptr<torch::serialize::InputArchive>>
      optimizerArchives;
  for (const auto &[name, optimizer] : content.optimizers) {
    if (!optimizer)
      fields.fail("optimizer '" + name + "' is a null pointer", "");
    if (!optimizers.contains(name))
      fields.fail("has no state for optimizer '" + name + "'", kOtherRunHint);
    const json &entry = optimizers.at(name);
    std::string where = "optimizer '" + name + "'";
    fs::path file = entryFile(checkpoint, entry, where, listed, fields);
    checkOptimizerShapes(fields.member(entry, "param_groups", where), name,
                         *optimizer, fields);
    optimizerArchives[name] = openArchive(file, optimizerDevice(*optimizer));
  }

  // Generators, data positions and the executor's state.
  const json &rng = fields.object(state, "rng", "");
  TorchRngState torchRng;
  if (content.torchRng) {
    torchRng.cpu = fields.bytes64(rng, "torch_cpu", "'rng'");
    size_t expected = captureTorchRng().cpu.size();
    if (torchRng.cpu.size() != expected)
      fields.fail(
          "the CPU generator state has " + std::to_string(torchRng.cpu.size()) +
              " bytes, but this LibTorch's has " + std::to_string(expected),
          "the checkpoint was written by another LibTorch version; "
          "resume with the one that wrote it");
    if (rng.contains("torch_cuda")) {
      const json &cuda = fields.array(rng, "torch_cuda", "'rng'");
      for (size_t i = 0; i < cuda.size(); ++i) {
        std::optional<std::string> bytes =
            cuda[i].is_string() ? base64Decode(cuda[i].get<std::string>())
                                : std::nullopt;
        if (!bytes)
          fields.fail("'torch_cuda' in 'rng' holds a state that is not "
                      "base64");
        torchRng.cuda.push_back(*bytes);
      }
    }
  }
  const json &host = fields.object(rng, "host", "'rng'");
  std::map<std::string, std::mt19937_64> hostEngines;
  for (const auto &[name, engine] : content.hostRngs) {
    if (!engine)
      fields.fail("generator '" + name + "' is a null pointer", "");
    std::string text = fields.text(host, name, "'rng.host'");
    try {
      restoreMt19937State(hostEngines[name], text);
    } catch (const std::invalid_argument &) {
      fields.fail("generator '" + name +
                  "' in 'rng.host' is not a "
                  "std::mt19937_64 state");
    }
  }
  std::map<std::string, DataPosition> positions;
  for (const auto &[name, entry] : fields.object(state, "data", "").items()) {
    std::string where = "data source '" + name + "'";
    DataPosition position;
    position.epoch = fields.integer(entry, "epoch", where);
    position.index = fields.integer(entry, "index", where);
    position.shuffleSeed = fields.unsignedInteger(entry, "shuffle_seed", where);
    positions[name] = position;
  }
  json runState = fields.member(state, "run_state", "");

  // Everything checked: restore.
  {
    torch::NoGradGuard noGrad;
    for (const auto &[name, module] : content.models) {
      const auto &saved = modelTensors.at(name);
      for (auto &[tensorName, tensor] : namedTensors(*module))
        tensor.copy_(saved.at(tensorName));
    }
  }
  for (const auto &[name, optimizer] : content.optimizers) {
    try {
      optimizer->load(*optimizerArchives.at(name));
    } catch (const c10::Error &error) {
      throw CheckpointError(checkpoint / optimizerFileName(name),
                            std::string("cannot restore optimizer '") + name +
                                "': " + error.what_without_backtrace(),
                            kDamagedHint);
    }
  }
  if (content.torchRng) {
    try {
      restoreTorchRng(torchRng);
    } catch (const std::invalid_argument &error) {
      fields.fail(error.what(), "the checkpoint was written by another "
                                "LibTorch version; resume with that one");
    }
  }
  for (auto &[name, engine] : content.hostRngs)
    *engine = hostEngines.at(name);
  content.stageIndex = loaded.stageIndex;
  content.dataPositions = std::move(positions);
  content.runState = std::move(runState);
  return loaded;
}

std::string loadModelWeights(const fs::path &path, const std::string &model,
                             torch::nn::Module &module) {
  fs::path checkpoint = resolveCheckpoint(path);
  json state = readState(checkpoint);
  StateFields fields(checkpoint / kStateFile);
  std::set<std::string> listed = checkFiles(checkpoint, state, fields);
  const json &models = fields.object(state, "models", "");
  std::string names;
  for (const auto &item : models.items())
    names += (names.empty() ? "'" : ", '") + item.key() + "'";
  std::string name = model;
  if (name.empty() && models.size() == 1)
    name = models.begin().key();
  if (name.empty() || !models.contains(name))
    fields.fail((name.empty() ? std::string("holds several models")
                              : "has no model '" + name + "'") +
                    " (it has " + names + ")",
                "name the model to start from: init = \"PATH:MODEL\"");
  fs::path file = entryFile(checkpoint, models.at(name), "model '" + name + "'",
                            listed, fields);
  auto tensors = readModelTensors(file, name);
  checkModelTensors(file, name, tensors, module,
                    "the checkpoint's model has other sizes; give this model "
                    "the sizes of the one it starts from");
  torch::NoGradGuard noGrad;
  for (auto &[tensorName, tensor] : namedTensors(module))
    tensor.copy_(tensors.at(tensorName));
  return name;
}

} // namespace rlg::runtime
