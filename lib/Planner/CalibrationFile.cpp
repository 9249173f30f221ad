// The calibration file `rlg calibrate -o` writes and `rlg plan
// --calibration` reads: the fitted efficiencies and the error they leave.
#include "rlg/Planner/Calibration.h"

#include "rlg/Support/TextDistance.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <tuple>

namespace rlg::planner {

namespace {

const char *const kFileHint = "a calibration file is what `rlg calibrate -o "
                              "FILE` writes; see docs/cost-model.md";

/// Enough digits to read back the same double.
std::string exact(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string quoted(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

} // namespace

std::string writeCalibrationToml(const CalibrationResult &result,
                                 const CalibrationInput &input) {
  std::ostringstream out;
  out << "# rlg calibrate: the cost model's efficiencies fitted to "
      << result.rows.size() << " measurement"
      << (result.rows.size() == 1 ? "" : "s") << ".\n"
      << "# Read by `rlg plan --calibration FILE` (docs/cost-model.md, "
         "\"Calibration\").\n"
      << "device = " << quoted(input.cluster.device.name) << '\n'
      << "source = " << quoted(input.source) << "\n\n"
      << "[efficiency]\n"
      << "compute = " << exact(result.after.compute) << "  # was "
      << exact(result.before.compute)
      << (result.computeMeasurements ? "" : ", not measured") << '\n'
      << "memory = " << exact(result.after.memory) << "  # was "
      << exact(result.before.memory)
      << (result.memoryMeasurements ? "" : ", not measured") << '\n'
      << "layer_overhead_us = " << exact(result.after.layerOverheadUs)
      << "  # was " << exact(result.before.layerOverheadUs) << '\n'
      << "half_rows = " << exact(result.after.halfRows) << "  # not fitted\n"
      << "half_width = " << exact(result.after.halfWidth)
      << "  # not fitted\n\n"
      << "# |predicted - measured| / measured over the measurements.\n"
      << "[error]\n"
      << "measurements = " << result.rows.size() << '\n'
      << "compute_measurements = " << result.computeMeasurements << '\n'
      << "memory_measurements = " << result.memoryMeasurements << '\n'
      << "mean_before = " << exact(result.errorBefore.mean) << '\n'
      << "max_before = " << exact(result.errorBefore.max) << '\n'
      << "mean_after = " << exact(result.errorAfter.mean) << '\n'
      << "max_after = " << exact(result.errorAfter.max) << '\n';
  return out.str();
}

bool readCalibrationText(const std::string &text, const std::string &path,
                         Efficiency &efficiency,
                         std::vector<CalibrationError> &errors,
                         std::string *device) {
  size_t before = errors.size();
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error &error) {
    errors.push_back({path, static_cast<int64_t>(error.source().begin.line),
                      static_cast<int64_t>(error.source().begin.column),
                      "not valid TOML: " + std::string(error.description()),
                      kFileHint});
    return false;
  }
  auto fail = [&](const toml::source_region &where, std::string message,
                  std::string hint = "") {
    errors.push_back({path, static_cast<int64_t>(where.begin.line),
                      static_cast<int64_t>(where.begin.column),
                      std::move(message), std::move(hint)});
  };
  auto checkKeys = [&](const toml::table &table, const std::string &what,
                       const std::vector<std::string> &known) {
    for (auto &&[key, value] : table) {
      std::string name(key.str());
      if (std::find(known.begin(), known.end(), name) != known.end())
        continue;
      std::string hint = didYouMean(name, known);
      fail(key.source(), "unknown key '" + name + "' in " + what,
           hint.empty() ? "keys of " + what + ": " + quotedList(known) : hint);
    }
  };
  checkKeys(root, "a calibration file",
            {"device", "source", "efficiency", "error"});
  std::string deviceName;
  for (const char *key : {"device", "source"})
    if (const toml::node *node = root.get(key)) {
      if (!node->is_string())
        fail(node->source(), std::string("'") + key + "' must be a string");
      else if (std::string(key) == "device")
        deviceName = node->as_string()->get();
    }
  if (!deviceName.empty() && !findDeviceProfile(deviceName))
    fail(root.get("device")->source(),
         "unknown device profile '" + deviceName + "'",
         "profiles: " + quotedList(deviceProfileNames()));
  if (const toml::node *node = root.get("error"); node && !node->is_table())
    fail(node->source(), "'error' must be a table ([error])");

  Efficiency read = efficiency;
  const toml::node *table = root.get("efficiency");
  if (!table) {
    fail(root.source(), "missing [efficiency]",
         "give compute and memory fractions: [efficiency] compute = 0.55, "
         "memory = 0.75");
  } else if (!table->is_table()) {
    fail(table->source(), "'efficiency' must be a table ([efficiency])");
  } else {
    const toml::table &fractions = *table->as_table();
    checkKeys(
        fractions, "[efficiency]",
        {"compute", "memory", "layer_overhead_us", "half_rows", "half_width"});
    if (const toml::node *node = fractions.get("layer_overhead_us")) {
      std::optional<double> value = node->value<double>();
      if (!node->is_number() || !value || !(*value >= 0))
        fail(node->source(), "'layer_overhead_us' must be a number, at least 0",
             "microseconds each layer costs per pass regardless of its size "
             "(kernel launches, dispatch); 0 leaves it out");
      else
        read.layerOverheadUs = *value;
    }
    for (auto [key, field] : {std::make_pair("half_rows", &read.halfRows),
                              std::make_pair("half_width", &read.halfWidth)}) {
      const toml::node *node = fractions.get(key);
      if (!node)
        continue;
      std::optional<double> value = node->value<double>();
      if (!node->is_number() || !value || *value < 0)
        fail(node->source(),
             std::string("'") + key + "' must be a number, at least 0",
             "matmuls reach half the compute fraction at this size; 0 "
             "turns the saturation off");
      else
        *field = *value;
    }
    for (auto [key, field] : {std::make_pair("compute", &read.compute),
                              std::make_pair("memory", &read.memory)}) {
      const toml::node *node = fractions.get(key);
      if (!node)
        continue;
      std::optional<double> value = node->value<double>();
      if (!node->is_number() || !value) {
        fail(node->source(), std::string("'") + key + "' must be a number");
      } else if (!(*value > 0) || *value > 10) {
        std::ostringstream got;
        got << *value;
        fail(node->source(),
             std::string("'") + key +
                 "' must be a fraction above 0 (at most 10), got " + got.str(),
             "it is the share of the datasheet peak that kernels reach");
      } else {
        *field = *value;
      }
    }
  }
  if (errors.size() != before) {
    std::stable_sort(
        errors.begin() + static_cast<std::ptrdiff_t>(before), errors.end(),
        [](const CalibrationError &a, const CalibrationError &b) {
          return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
    return false;
  }
  efficiency = read;
  if (device)
    *device = deviceName;
  return true;
}

bool readCalibrationFile(const std::string &path, Efficiency &efficiency,
                         std::vector<CalibrationError> &errors,
                         std::string *device) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    errors.push_back({path, 0, 0, "cannot read the file", kFileHint});
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return readCalibrationText(text.str(), path, efficiency, errors, device);
}

} // namespace rlg::planner
