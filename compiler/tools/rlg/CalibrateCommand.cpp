// `rlg calibrate`: fit the cost model's efficiencies and per-layer overhead
// to measured phase times (a profile file or a run folder), print each
// measurement against the model before and after, and write the calibration
// file.
#include "Commands.h"

#include "rlg/Planner/Calibration.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace rlg::driver {

namespace {

using namespace rlg::planner;

/// "12.3 ms", "1.23 s", "456 us": three significant digits.
std::string duration(double seconds) {
  if (seconds >= 1)
    return fmt::format("{:.3g} s", seconds);
  if (seconds >= 1e-3)
    return fmt::format("{:.3g} ms", seconds * 1e3);
  return fmt::format("{:.3g} us", seconds * 1e6);
}

/// "+12.3 %" (predicted against measured).
std::string deviation(double predicted, double measured) {
  double percent = (predicted / measured - 1) * 100;
  if (std::abs(percent) < 0.05) // no "-0.0 %" from rounding noise
    percent = 0;
  return fmt::format("{:+.1f} %", percent);
}

std::string percent(double fraction) {
  return fmt::format("{:.1f} %", fraction * 100);
}

void printTable(const CalibrationResult &result, const char *startName) {
  size_t width = 11;
  for (const CalibrationRow &row : result.rows)
    width = std::max(width, row.measurement->label.size());
  std::cout << fmt::format(
      "{:<{}}  {:<8}  {:>9}  {:>20}  {:>20}\n", "measurement", width, "phase",
      "measured", std::string(startName) + " constants", "fitted constants");
  for (const CalibrationRow &row : result.rows) {
    const Measurement &m = *row.measurement;
    std::cout << fmt::format(
        "{:<{}}  {:<8}  {:>9}  {:>20}  {:>20}\n", m.label, width,
        measuredPhaseName(m.phase), duration(m.seconds),
        duration(row.before) + " (" + deviation(row.before, m.seconds) + ")",
        duration(row.after) + " (" + deviation(row.after, m.seconds) + ")");
  }
}

void printFraction(const char *name, double before, double after, int64_t count,
                   bool atBound, bool determined, const char *phases) {
  std::cout << fmt::format("{} efficiency: {:.3g} -> {:.3g}", name, before,
                           after);
  if (count == 0)
    std::cout << " (not measured: no " << phases << " measurement)";
  else
    std::cout << " (from " << count << ' ' << phases << " measurement"
              << (count == 1 ? "" : "s") << ')';
  if (count > 0 && !determined)
    std::cout << "; not pinned down: a range of values fits them equally "
                 "(they are bound by the other term)";
  if (atBound)
    std::cout << ", at the search's bound";
  if (after > 1)
    std::cout << ", above 1: the profile's datasheet peak is lower than "
                 "measured";
  std::cout << '\n';
}

void printOverhead(const CalibrationResult &result) {
  double before = result.before.layerOverheadUs;
  double after = result.after.layerOverheadUs;
  size_t count = result.rows.size();
  std::cout << fmt::format("layer overhead: {:.3g} -> {:.3g} us per layer "
                           "pass (from {} measurement{})",
                           before, after, count, count == 1 ? "" : "s");
  if (count > 0 && after == 0 && result.overheadDetermined)
    std::cout << "; none fits them better";
  else if (count > 0 && !result.overheadDetermined)
    std::cout << "; not pinned down: a range of values fits them equally";
  std::cout << '\n';
}

} // namespace

int runCalibrate(const CalibrateOptions &options) {
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  Efficiency start;
  std::string startDevice;
  if (!options.calibration.empty() &&
      !readCalibrationFile(options.calibration, start, errors, &startDevice)) {
    for (const CalibrationError &error : errors)
      std::cerr << formatCalibrationError(error) << '\n';
    return kExitUserError;
  }
  std::error_code ec;
  bool ok = std::filesystem::is_directory(options.input, ec)
                ? readRunFolder(options.input, options.device, input, errors)
                : readProfileFile(options.input, options.device, input, errors);
  if (!ok) {
    for (const CalibrationError &error : errors)
      std::cerr << formatCalibrationError(error) << '\n';
    return kExitUserError;
  }
  const DeviceProfile &device = input.cluster.device;
  size_t count = input.measurements.size();
  std::cout << "calibrating " << device.name << " ("
            << fmt::format("{:g} TFLOP/s bf16 peak, {:g} GB/s memory",
                           device.peakTflops, device.memoryGBps)
            << ") from " << count << " measurement" << (count == 1 ? "" : "s")
            << " in " << input.source << '\n';
  for (const std::string &note : input.notes)
    std::cout << "note: " << note << '\n';
  const char *startName = "default";
  if (!options.calibration.empty()) {
    startName = "starting";
    std::cout << "note: starting constants from " << options.calibration;
    if (!startDevice.empty() && startDevice != device.name)
      std::cout << " (calibrated on " << startDevice << ')';
    std::cout << '\n';
  }
  std::cout << '\n';

  CalibrationResult result = calibrate(input, start);
  printTable(result, startName);
  std::cout << '\n';
  printFraction("compute", result.before.compute, result.after.compute,
                result.computeMeasurements, result.computeAtBound,
                result.computeDetermined, "prefill/forward/train");
  printFraction("memory", result.before.memory, result.after.memory,
                result.memoryMeasurements, result.memoryAtBound,
                result.memoryDetermined, "decode/generate");
  printOverhead(result);
  std::cout << "error |predicted - measured| / measured: mean "
            << percent(result.errorBefore.mean) << ", max "
            << percent(result.errorBefore.max) << " with the " << startName
            << " constants; mean " << percent(result.errorAfter.mean)
            << ", max " << percent(result.errorAfter.max) << " fitted\n";

  if (!options.output.empty()) {
    std::ofstream out(options.output, std::ios::binary);
    out << writeCalibrationToml(result, input);
    if (!out) {
      std::cerr << options.output << ": error: cannot write the file\n";
      return kExitUserError;
    }
    std::cout << "wrote " << options.output
              << " (rlg plan --calibration reads it)\n";
  }
  return kExitOk;
}

} // namespace rlg::driver
