// Reading cluster files with toml++: every field checked for its type and
// range, every unknown key named with a suggestion, each error located.
#include "rlg/Spec/ClusterSpec.h"

#include "rlg/Support/TextDistance.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <tuple>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace rlg {

namespace {

/// Collects located errors while the file's tables are read.
class ClusterReader {
public:
  explicit ClusterReader(std::vector<ClusterError> &errors) : errors(errors) {}

  void fail(const toml::source_region &where, std::string message,
            std::string hint = "") {
    errors.push_back({static_cast<int64_t>(where.begin.line),
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

  /// An integer >= minimum, or nullopt after an error.
  std::optional<int64_t> integer(const toml::table &table,
                                 const std::string &key, int64_t minimum,
                                 bool required) {
    const toml::node *node = table.get(key);
    if (!node) {
      if (required)
        fail(table.source(), "missing '" + key + "'",
             "a cluster file gives nodes, devices_per_node and device");
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

  /// A number (integer or float) above 0, or >= 0 when `zeroOk`.
  std::optional<double> number(const toml::table &table, const std::string &key,
                               bool zeroOk) {
    const toml::node *node = table.get(key);
    if (!node)
      return std::nullopt;
    std::optional<double> value = node->value<double>();
    if (!node->is_number() || !value) {
      fail(node->source(), "'" + key + "' must be a number");
      return std::nullopt;
    }
    if (!(zeroOk ? *value >= 0 : *value > 0)) {
      fail(node->source(), "'" + key + "' must be " +
                               (zeroOk ? "at least 0" : "above 0") + ", got " +
                               numberText(*value));
      return std::nullopt;
    }
    return value;
  }

  /// The table under `key`, or null (an error when it is something else).
  const toml::table *table(const toml::table &parent, const std::string &key) {
    const toml::node *node = parent.get(key);
    if (!node)
      return nullptr;
    if (!node->is_table()) {
      fail(node->source(), "'" + key + "' must be a table ([" + key + "])");
      return nullptr;
    }
    return node->as_table();
  }

  static std::string numberText(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
  }

  std::vector<ClusterError> &errors;
};

void readLink(ClusterReader &reader, const toml::table *links,
              const std::string &key, LinkSpec &link) {
  if (!links)
    return;
  const toml::table *table = reader.table(*links, key);
  if (!table)
    return;
  reader.checkKeys(*table, "[links." + key + "]",
                   {"bandwidth_gbps", "latency_us"});
  if (auto bandwidth = reader.number(*table, "bandwidth_gbps", false))
    link.bandwidthGBps = *bandwidth;
  if (auto latency = reader.number(*table, "latency_us", true))
    link.latencyUs = *latency;
}

} // namespace

bool readClusterSpec(const std::string &text, ClusterSpec &out,
                     std::vector<ClusterError> &errors) {
  size_t before = errors.size();
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error &error) {
    errors.push_back({static_cast<int64_t>(error.source().begin.line),
                      static_cast<int64_t>(error.source().begin.column),
                      "not valid TOML: " + std::string(error.description()),
                      "see docs/cluster-format.md for the format"});
    return false;
  }
  ClusterReader reader(errors);
  reader.checkKeys(root, "a cluster file",
                   {"name", "nodes", "devices_per_node", "device",
                    "device_overrides", "links"});
  ClusterSpec cluster;
  if (const toml::node *name = root.get("name")) {
    if (name->is_string())
      cluster.name = name->as_string()->get();
    else
      reader.fail(name->source(), "'name' must be a string");
  }
  cluster.nodes = reader.integer(root, "nodes", 1, true).value_or(0);
  cluster.devicesPerNode =
      reader.integer(root, "devices_per_node", 1, true).value_or(0);

  const toml::node *device = root.get("device");
  if (!device) {
    reader.fail(root.source(), "missing 'device'",
                "name a device profile: " + quotedList(deviceProfileNames()));
  } else if (!device->is_string()) {
    reader.fail(device->source(), "'device' must be a profile name (a string)");
  } else {
    std::string name = device->as_string()->get();
    if (std::optional<DeviceProfile> profile = findDeviceProfile(name)) {
      cluster.device = *profile;
    } else {
      // "H100" means "H100-80GB" more likely than "H200".
      std::string hint;
      for (const std::string &candidate : deviceProfileNames())
        if (hint.empty() && candidate.size() > name.size() &&
            std::equal(name.begin(), name.end(), candidate.begin(),
                       [](char a, char b) {
                         return std::tolower(static_cast<unsigned char>(a)) ==
                                std::tolower(static_cast<unsigned char>(b));
                       }))
          hint = "did you mean '" + candidate + "'?";
      if (hint.empty())
        hint = didYouMean(name, deviceProfileNames());
      reader.fail(device->source(), "unknown device profile '" + name + "'",
                  hint.empty() ? "profiles: " + quotedList(deviceProfileNames())
                               : hint);
    }
  }
  cluster.intraNode = {cluster.device.intraNodeGBps, 5};
  cluster.interNode = {cluster.device.interNodeGBps, 15};
  cluster.host = {cluster.device.hostGBps, 10};

  if (const toml::table *overrides = reader.table(root, "device_overrides")) {
    reader.checkKeys(*overrides, "[device_overrides]",
                     {"memory_gib", "peak_tflops", "memory_gbps"});
    if (auto memory = reader.number(*overrides, "memory_gib", false))
      cluster.device.memoryGiB = *memory;
    if (auto tflops = reader.number(*overrides, "peak_tflops", false))
      cluster.device.peakTflops = *tflops;
    if (auto bandwidth = reader.number(*overrides, "memory_gbps", false))
      cluster.device.memoryGBps = *bandwidth;
  }
  const toml::table *links = reader.table(root, "links");
  if (links)
    reader.checkKeys(*links, "[links]", {"intra_node", "inter_node", "host"});
  readLink(reader, links, "intra_node", cluster.intraNode);
  readLink(reader, links, "inter_node", cluster.interNode);
  readLink(reader, links, "host", cluster.host);

  if (errors.size() != before) {
    // In the order of the file.
    std::stable_sort(
        errors.begin() + static_cast<std::ptrdiff_t>(before), errors.end(),
        [](const ClusterError &a, const ClusterError &b) {
          return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
    return false;
  }
  out = std::move(cluster);
  return true;
}

bool readClusterFile(const std::string &path, ClusterSpec &out,
                     std::vector<ClusterError> &errors) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    errors.push_back({0, 0, "cannot read the file", "check the path"});
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return readClusterSpec(text.str(), out, errors);
}

std::string describeCluster(const ClusterSpec &cluster) {
  std::ostringstream text;
  text << cluster.nodes << " node" << (cluster.nodes == 1 ? "" : "s") << " x "
       << cluster.devicesPerNode << ' ' << cluster.device.name << " ("
       << cluster.deviceCount() << " device"
       << (cluster.deviceCount() == 1 ? "" : "s") << ", "
       << cluster.device.memoryGiB << " GiB each)";
  return text.str();
}

} // namespace rlg
