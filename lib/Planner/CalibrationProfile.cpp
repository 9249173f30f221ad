// Reading calibration profiles (TOML): the device or cluster, and each
// measured phase with its model and sizes, every field checked and every
// error located.
#include "rlg/Planner/Calibration.h"

#include "rlg/Support/TextDistance.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>

namespace rlg::planner {

namespace {

const char *const kFormatHint = "see docs/cost-model.md, \"Calibration\"";

/// Collects located errors while a profile's tables are read.
class ProfileReader {
public:
  ProfileReader(std::string file, std::vector<CalibrationError> &errors)
      : file(std::move(file)), errors(errors) {}

  void fail(const toml::source_region &where, std::string message,
            std::string hint = "") {
    errors.push_back({file, static_cast<int64_t>(where.begin.line),
                      static_cast<int64_t>(where.begin.column),
                      std::move(message), std::move(hint)});
  }

  /// Names every key of `table` not in `known`, with a suggestion.
  void checkKeys(const toml::table &table, const std::string &what,
                 const std::vector<std::string> &known) {
    for (auto &&[key, value] : table) {
      std::string name(key.str());
      if (std::find(known.begin(), known.end(), name) != known.end())
        continue;
      std::string hint = didYouMean(name, known);
      fail(key.source(), "unknown key '" + name + "' in " + what,
           hint.empty() ? "keys of " + what + ": " + quotedList(known) : hint);
    }
  }

  /// An integer >= minimum; nullopt when absent (an error when `required`)
  /// or wrong.
  std::optional<int64_t> integer(const toml::table &table,
                                 const std::string &key, int64_t minimum,
                                 const std::string &requiredHint = "") {
    const toml::node *node = table.get(key);
    if (!node) {
      if (!requiredHint.empty())
        fail(table.source(), "missing '" + key + "'", requiredHint);
      return std::nullopt;
    }
    if (!node->is_integer()) {
      fail(node->source(), "'" + key + "' must be an integer");
      return std::nullopt;
    }
    int64_t value = node->as_integer()->get();
    if (value < minimum) {
      fail(node->source(), "'" + key + "' must be at least " +
                               std::to_string(minimum) + ", got " +
                               std::to_string(value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const toml::table &table,
                              const std::string &key) {
    const toml::node *node = table.get(key);
    if (!node)
      return std::nullopt;
    if (!node->is_boolean()) {
      fail(node->source(), "'" + key + "' must be true or false");
      return std::nullopt;
    }
    return node->as_boolean()->get();
  }

  std::optional<std::string> string(const toml::table &table,
                                    const std::string &key,
                                    const std::string &what) {
    const toml::node *node = table.get(key);
    if (!node)
      return std::nullopt;
    if (!node->is_string()) {
      fail(node->source(), "'" + key + "' must be " + what + " (a string)");
      return std::nullopt;
    }
    return node->as_string()->get();
  }

  std::string file;
  std::vector<CalibrationError> &errors;
};

/// The keys a measurement of each phase may have.
std::vector<std::string> keysOf(MeasuredPhase phase) {
  std::vector<std::string> keys = {"name", "phase", "model",  "arch",
                                   "tp",   "batch", "seconds"};
  switch (phase) {
  case MeasuredPhase::Decode:
    keys.insert(keys.end(), {"context", "steps"});
    break;
  case MeasuredPhase::Prefill:
    keys.push_back("tokens");
    break;
  case MeasuredPhase::Forward:
    keys.insert(keys.end(), {"tokens", "micro_batch"});
    break;
  case MeasuredPhase::Train:
    keys.insert(keys.end(),
                {"tokens", "micro_batch", "checkpointing", "steps"});
    break;
  case MeasuredPhase::Generate:
    keys.insert(keys.end(), {"prompt_tokens", "new_tokens", "prompts"});
    break;
  }
  return keys;
}

std::optional<MeasuredPhase> parsePhase(const std::string &name) {
  for (MeasuredPhase phase :
       {MeasuredPhase::Decode, MeasuredPhase::Prefill, MeasuredPhase::Forward,
        MeasuredPhase::Train, MeasuredPhase::Generate})
    if (name == measuredPhaseName(phase))
      return phase;
  return std::nullopt;
}

/// An explicit architecture: arch = { layers = 2, hidden = 64, ... }.
std::optional<ModelArch> readArch(ProfileReader &reader,
                                  const toml::node &node) {
  if (!node.is_table()) {
    reader.fail(node.source(),
                "'arch' must be a table: arch = { layers = .., hidden = .., "
                "ffn = .., heads = .., kv_heads = .., vocab = .. }");
    return std::nullopt;
  }
  const toml::table &table = *node.as_table();
  reader.checkKeys(table, "'arch'",
                   {"layers", "hidden", "ffn", "heads", "kv_heads", "vocab",
                    "tie_embeddings"});
  const std::string hint = "'arch' gives layers, hidden, ffn, heads, "
                           "kv_heads and vocab (tie_embeddings is optional)";
  size_t before = reader.errors.size();
  ModelArch arch;
  arch.layers = reader.integer(table, "layers", 1, hint).value_or(0);
  arch.hidden = reader.integer(table, "hidden", 1, hint).value_or(0);
  arch.ffn = reader.integer(table, "ffn", 1, hint).value_or(0);
  arch.heads = reader.integer(table, "heads", 1, hint).value_or(0);
  arch.kvHeads = reader.integer(table, "kv_heads", 1, hint).value_or(0);
  arch.vocab = reader.integer(table, "vocab", 1, hint).value_or(0);
  arch.tieEmbeddings = reader.boolean(table, "tie_embeddings").value_or(false);
  if (reader.errors.size() != before)
    return std::nullopt;
  if (arch.hidden % arch.heads != 0) {
    reader.fail(node.source(), "'hidden' (" + std::to_string(arch.hidden) +
                                   ") must be a multiple of 'heads' (" +
                                   std::to_string(arch.heads) + ")");
    return std::nullopt;
  }
  if (arch.heads % arch.kvHeads != 0) {
    reader.fail(node.source(), "'heads' (" + std::to_string(arch.heads) +
                                   ") must be a multiple of 'kv_heads' (" +
                                   std::to_string(arch.kvHeads) + ")");
    return std::nullopt;
  }
  return arch;
}

/// The model of a measurement: a preset's name or an explicit arch.
bool readModel(ProfileReader &reader, const toml::table &table,
               Measurement &m) {
  const toml::node *model = table.get("model");
  const toml::node *arch = table.get("arch");
  if (model && arch) {
    reader.fail(arch->source(), "give 'model' or 'arch', not both");
    return false;
  }
  if (!model && !arch) {
    reader.fail(table.source(), "missing 'model'",
                "name a preset (" + quotedList(modelPresetNames()) +
                    ") or give arch = { layers = .., ... }");
    return false;
  }
  if (arch) {
    std::optional<ModelArch> read = readArch(reader, *arch);
    if (!read)
      return false;
    m.model = "custom";
    m.arch = *read;
    return true;
  }
  std::optional<std::string> name = reader.string(table, "model", "a preset");
  if (!name)
    return false;
  std::optional<ModelArch> preset = findModelPreset(*name);
  if (!preset) {
    std::string hint = didYouMean(*name, modelPresetNames());
    reader.fail(model->source(), "unknown model preset '" + *name + "'",
                hint.empty() ? "presets: " + quotedList(modelPresetNames())
                             : hint);
    return false;
  }
  m.model = *name;
  m.arch = *preset;
  return true;
}

std::optional<Measurement>
readMeasurement(ProfileReader &reader, const toml::table &table, size_t index) {
  Measurement m;
  m.file = reader.file;
  m.line = static_cast<int64_t>(table.source().begin.line);
  std::optional<std::string> phaseName = reader.string(
      table, "phase", "decode, prefill, forward, train or generate");
  if (!table.get("phase")) {
    reader.fail(table.source(), "missing 'phase'",
                "phase is " + quotedList({"decode", "prefill", "forward",
                                          "train", "generate"}));
    return std::nullopt;
  }
  if (!phaseName)
    return std::nullopt;
  std::optional<MeasuredPhase> phase = parsePhase(*phaseName);
  if (!phase) {
    const std::vector<std::string> names = {"decode", "prefill", "forward",
                                            "train", "generate"};
    std::string hint = didYouMean(*phaseName, names);
    reader.fail(table.get("phase")->source(),
                "unknown phase '" + *phaseName + "'",
                hint.empty() ? "phase is " + quotedList(names) : hint);
    return std::nullopt;
  }
  m.phase = *phase;
  size_t before = reader.errors.size();
  std::string what = std::string("a ") + *phaseName + " measurement";
  reader.checkKeys(table, what, keysOf(m.phase));
  readModel(reader, table, m);

  const std::string sizes =
      std::string("a ") + *phaseName + " measurement gives " +
      quotedList(
          [&] {
            std::vector<std::string> required = {"batch", "seconds"};
            if (m.phase == MeasuredPhase::Decode)
              required.push_back("context");
            else if (m.phase == MeasuredPhase::Generate)
              required.insert(required.end(), {"prompt_tokens", "new_tokens"});
            else
              required.push_back("tokens");
            return required;
          }(),
          "and");
  m.tp = reader.integer(table, "tp", 1).value_or(1);
  m.batch = reader.integer(table, "batch", 1, sizes).value_or(0);
  switch (m.phase) {
  case MeasuredPhase::Decode:
    m.tokens = reader.integer(table, "context", 1, sizes).value_or(0);
    m.steps = reader.integer(table, "steps", 1).value_or(1);
    break;
  case MeasuredPhase::Prefill:
    m.tokens = reader.integer(table, "tokens", 1, sizes).value_or(0);
    break;
  case MeasuredPhase::Forward:
    m.tokens = reader.integer(table, "tokens", 1, sizes).value_or(0);
    m.microBatch = reader.integer(table, "micro_batch", 1).value_or(0);
    break;
  case MeasuredPhase::Train:
    m.tokens = reader.integer(table, "tokens", 1, sizes).value_or(0);
    m.steps = reader.integer(table, "steps", 1).value_or(1);
    m.microBatch = reader.integer(table, "micro_batch", 1).value_or(0);
    m.checkpointing = reader.boolean(table, "checkpointing").value_or(false);
    break;
  case MeasuredPhase::Generate:
    m.tokens = reader.integer(table, "prompt_tokens", 1, sizes).value_or(0);
    m.steps = reader.integer(table, "new_tokens", 1, sizes).value_or(1) - 1;
    m.prompts = reader.integer(table, "prompts", 1).value_or(0);
    break;
  }
  if (const toml::node *node = table.get("seconds")) {
    std::optional<double> seconds = node->value<double>();
    if (!node->is_number() || !seconds)
      reader.fail(node->source(), "'seconds' must be a number");
    else if (!(*seconds > 0))
      reader.fail(
          node->source(), "'seconds' must be above 0, got " + [&] {
            std::ostringstream text;
            text << *seconds;
            return text.str();
          }());
    else
      m.seconds = *seconds;
  } else {
    reader.fail(table.source(), "missing 'seconds'", sizes);
  }
  std::string name = "measurement " + std::to_string(index + 1);
  if (auto label = reader.string(table, "name", "a label"))
    name = *label;
  m.label = name;
  if (reader.errors.size() != before)
    return std::nullopt;
  return m;
}

/// The device profile called `name`, or an error at `where`.
std::optional<DeviceProfile> deviceNamed(ProfileReader &reader,
                                         const std::string &name,
                                         const toml::source_region *where) {
  if (std::optional<DeviceProfile> profile = findDeviceProfile(name))
    return profile;
  std::string hint = unknownDeviceHint(name);
  std::string message = "unknown device profile '" + name + "'";
  if (where)
    reader.fail(*where, message, hint);
  else
    reader.errors.push_back({"--device", 0, 0, message, hint});
  return std::nullopt;
}

} // namespace

bool readProfileText(const std::string &text, const std::string &path,
                     const std::string &deviceOverride, CalibrationInput &out,
                     std::vector<CalibrationError> &errors) {
  size_t before = errors.size();
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error &error) {
    errors.push_back({path, static_cast<int64_t>(error.source().begin.line),
                      static_cast<int64_t>(error.source().begin.column),
                      "not valid TOML: " + std::string(error.description()),
                      kFormatHint});
    return false;
  }
  ProfileReader reader(path, errors);
  reader.checkKeys(root, "a calibration profile",
                   {"name", "device", "cluster", "measurement"});
  reader.string(root, "name", "a label");

  CalibrationInput input;
  input.source = path;
  const toml::node *device = root.get("device");
  const toml::node *cluster = root.get("cluster");
  if (device && cluster)
    reader.fail(cluster->source(), "give 'device' or 'cluster', not both");
  std::optional<std::string> deviceName =
      reader.string(root, "device", "a device profile name");
  std::optional<std::string> clusterPath =
      reader.string(root, "cluster", "a cluster file's path");
  int64_t maxTp = 1;

  std::vector<Measurement> measurements;
  const toml::node *list = root.get("measurement");
  if (!list) {
    reader.fail(root.source(), "no measurements",
                "add [[measurement]] tables: phase, model, batch, sizes and "
                "seconds");
  } else if (!list->is_array_of_tables()) {
    reader.fail(list->source(),
                "'measurement' must be an array of tables ([[measurement]])");
  } else {
    const toml::array &array = *list->as_array();
    for (size_t i = 0; i < array.size(); ++i)
      if (auto m = readMeasurement(reader, *array[i].as_table(), i)) {
        maxTp = std::max(maxTp, m->tp);
        measurements.push_back(std::move(*m));
      }
  }

  if (!deviceOverride.empty()) {
    if (auto profile = deviceNamed(reader, deviceOverride, nullptr)) {
      input.cluster = singleNodeCluster(*profile, std::max<int64_t>(8, maxTp));
      input.notes.push_back("device " + profile->name + " from --device");
    }
  } else if (clusterPath) {
    std::filesystem::path file(*clusterPath);
    if (file.is_relative())
      file = std::filesystem::path(path).parent_path() / file;
    std::vector<ClusterError> clusterErrors;
    if (readClusterFile(file.string(), input.cluster, clusterErrors)) {
      if (input.cluster.deviceCount() < maxTp)
        reader.fail(cluster->source(),
                    "the cluster has " +
                        std::to_string(input.cluster.deviceCount()) +
                        " devices, fewer than the largest tp (" +
                        std::to_string(maxTp) + ")");
    } else {
      for (const ClusterError &error : clusterErrors)
        errors.push_back({file.string(), error.line, error.column,
                          error.message, error.hint});
    }
  } else if (deviceName) {
    if (auto profile = deviceNamed(reader, *deviceName, &device->source()))
      input.cluster = singleNodeCluster(*profile, std::max<int64_t>(8, maxTp));
  } else if (!device && !cluster) {
    reader.fail(root.source(), "missing 'device'",
                "name a device profile (" + quotedList(deviceProfileNames()) +
                    ") or a cluster file (cluster = \"PATH.toml\"), or pass "
                    "--device");
  }

  if (errors.size() != before) {
    std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(before),
                     errors.end(),
                     [](const CalibrationError &a, const CalibrationError &b) {
                       return std::tie(a.file, a.line, a.column) <
                              std::tie(b.file, b.line, b.column);
                     });
    return false;
  }
  input.measurements = std::move(measurements);
  out = std::move(input);
  return true;
}

bool readProfileFile(const std::string &path, const std::string &deviceOverride,
                     CalibrationInput &out,
                     std::vector<CalibrationError> &errors) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    errors.push_back({path, 0, 0, "cannot read the file",
                      "give a calibration profile (.toml) or a run folder"});
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return readProfileText(text.str(), path, deviceOverride, out, errors);
}

} // namespace rlg::planner
