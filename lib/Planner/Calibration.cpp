// Fitting the compute and memory efficiencies to measured phase times by
// least squares on log(predicted / measured); docs/cost-model.md,
// "Calibration".
#include "rlg/Planner/Calibration.h"

#include "rlg/Support/TextDistance.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>

namespace rlg::planner {

namespace {

// The search range of a fraction, as log10: 1e-6 to 10 (above 1 means the
// profile's datasheet peak is lower than what was measured).
constexpr double kLowLog = -6.0;
constexpr double kHighLog = 1.0;
constexpr double kGridStep = 0.02;

bool fitsCompute(MeasuredPhase phase) {
  return phase == MeasuredPhase::Prefill || phase == MeasuredPhase::Forward ||
         phase == MeasuredPhase::Train;
}

/// One device group of `tp` running `batch` sequences in micro-batches.
TrainLayout layoutOf(const Measurement &m) {
  TrainLayout layout;
  layout.tp = m.tp;
  layout.microBatch =
      m.microBatch > 0 ? std::min(m.microBatch, m.batch) : m.batch;
  layout.microBatches = (m.batch + layout.microBatch - 1) / layout.microBatch;
  layout.checkpointing = m.checkpointing;
  return layout;
}

/// Sum over `decodeSteps` decode steps starting at `context`.
double decodeSeconds(const Measurement &m, const ClusterSpec &cluster,
                     int64_t context, const Efficiency &efficiency) {
  double total = 0;
  for (int64_t step = 0; step < m.steps; ++step)
    total += decodeStepSeconds(m.arch, cluster, m.tp, m.batch, context + step,
                               efficiency);
  return total;
}

/// The log10 of the fraction minimising `loss` over the search range: a
/// grid, then a golden-section search around its best point.
double minimiseLog(const std::function<double(double)> &loss, bool &atBound) {
  double bestX = kLowLog, bestLoss = std::numeric_limits<double>::infinity();
  int points = static_cast<int>(std::lround((kHighLog - kLowLog) / kGridStep));
  for (int i = 0; i <= points; ++i) {
    double x = kLowLog + kGridStep * i;
    double value = loss(x);
    if (value < bestLoss) {
      bestLoss = value;
      bestX = x;
    }
  }
  double a = std::max(kLowLog, bestX - kGridStep);
  double b = std::min(kHighLog, bestX + kGridStep);
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
  double c = b - ratio * (b - a), d = a + ratio * (b - a);
  double fc = loss(c), fd = loss(d);
  for (int i = 0; i < 60; ++i) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = loss(d);
    }
  }
  double x = (a + b) / 2.0;
  if (loss(x) > bestLoss)
    x = bestX;
  atBound = x <= kLowLog + kGridStep / 2 || x >= kHighLog - kGridStep / 2;
  return x;
}

/// Sum of squared log ratios over the measurements of one class.
double logLoss(const CalibrationInput &input, bool compute,
               const Efficiency &efficiency) {
  double sum = 0;
  for (const Measurement &m : input.measurements) {
    if (fitsCompute(m.phase) != compute)
      continue;
    double ratio =
        std::log(predictSeconds(m, input.cluster, efficiency) / m.seconds);
    sum += ratio * ratio;
  }
  return sum;
}

ErrorStats errorOf(const std::vector<CalibrationRow> &rows, bool after) {
  ErrorStats stats;
  if (rows.empty())
    return stats;
  for (const CalibrationRow &row : rows) {
    double predicted = after ? row.after : row.before;
    double error = std::abs(predicted - row.measurement->seconds) /
                   row.measurement->seconds;
    stats.mean += error;
    stats.max = std::max(stats.max, error);
  }
  stats.mean /= static_cast<double>(rows.size());
  return stats;
}

} // namespace

const char *measuredPhaseName(MeasuredPhase phase) {
  switch (phase) {
  case MeasuredPhase::Decode:
    return "decode";
  case MeasuredPhase::Prefill:
    return "prefill";
  case MeasuredPhase::Forward:
    return "forward";
  case MeasuredPhase::Train:
    return "train";
  case MeasuredPhase::Generate:
    return "generate";
  }
  return "?";
}

std::string unknownDeviceHint(const std::string &name) {
  // "H100" means "H100-80GB" more likely than "H200".
  auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  for (const std::string &candidate : deviceProfileNames())
    if (candidate.size() > name.size() &&
        std::equal(name.begin(), name.end(), candidate.begin(), same))
      return "did you mean '" + candidate + "'?";
  std::string hint = didYouMean(name, deviceProfileNames());
  return hint.empty() ? "profiles: " + quotedList(deviceProfileNames()) : hint;
}

ClusterSpec singleNodeCluster(const DeviceProfile &device,
                              int64_t devicesPerNode) {
  ClusterSpec cluster;
  cluster.name = device.name;
  cluster.nodes = 1;
  cluster.devicesPerNode = devicesPerNode;
  cluster.device = device;
  // The latencies a cluster file defaults to (lib/Spec/ClusterSpec.cpp).
  cluster.intraNode = {device.intraNodeGBps, 5};
  cluster.interNode = {device.interNodeGBps, 15};
  cluster.host = {device.hostGBps, 10};
  return cluster;
}

double predictSeconds(const Measurement &m, const ClusterSpec &cluster,
                      const Efficiency &efficiency) {
  switch (m.phase) {
  case MeasuredPhase::Decode:
    return decodeSeconds(m, cluster, m.tokens, efficiency);
  case MeasuredPhase::Prefill:
    return prefillSeconds(m.arch, cluster, m.tp, m.batch, m.tokens, efficiency);
  case MeasuredPhase::Generate:
    return prefillSeconds(m.arch, cluster, m.tp,
                          m.prompts > 0 ? m.prompts : m.batch, m.tokens,
                          efficiency) +
           decodeSeconds(m, cluster, m.tokens + 1, efficiency);
  case MeasuredPhase::Forward:
    return forwardSeconds(m.arch, cluster, layoutOf(m), m.batch, m.tokens,
                          efficiency);
  case MeasuredPhase::Train:
    return static_cast<double>(m.steps) *
           trainStepSeconds(m.arch, cluster, layoutOf(m), m.batch, m.tokens,
                            efficiency);
  }
  return 0;
}

CalibrationResult calibrate(const CalibrationInput &input,
                            const Efficiency &start) {
  CalibrationResult result;
  result.before = start;
  for (const Measurement &m : input.measurements)
    (fitsCompute(m.phase) ? result.computeMeasurements
                          : result.memoryMeasurements) += 1;

  Efficiency fitted = start;
  // One fraction's fit over its class; the other fraction stays.
  auto fitOne = [&](bool compute, bool &atBound, bool &determined) {
    double Efficiency::*field =
        compute ? &Efficiency::compute : &Efficiency::memory;
    auto loss = [&](double logEta) {
      Efficiency trial = fitted;
      trial.*field = std::pow(10.0, logEta);
      return logLoss(input, compute, trial);
    };
    double x = minimiseLog(loss, atBound);
    double best = loss(x);
    auto noWorse = [&](double value) {
      return value <= best * (1 + 1e-9) + 1e-18;
    };
    // Among equally good values (the measurements are bound by the other
    // term, or by collectives, past some point) keep the starting one.
    double startX = std::log10(start.*field);
    if (startX >= kLowLog && startX <= kHighLog && noWorse(loss(startX))) {
      x = startX;
      atBound = false;
    }
    determined =
        !noWorse(loss(x - 2 * kGridStep)) && !noWorse(loss(x + 2 * kGridStep));
    fitted.*field = std::pow(10.0, x);
  };
  // Each class mostly moves its own fraction, but a generate measurement's
  // prefill reads the compute one: alternate until neither moves.
  for (int round = 0; round < 20; ++round) {
    Efficiency previous = fitted;
    if (result.computeMeasurements > 0)
      fitOne(true, result.computeAtBound, result.computeDetermined);
    if (result.memoryMeasurements > 0)
      fitOne(false, result.memoryAtBound, result.memoryDetermined);
    if (std::abs(fitted.compute / previous.compute - 1) < 1e-9 &&
        std::abs(fitted.memory / previous.memory - 1) < 1e-9)
      break;
  }
  result.after = fitted;

  for (const Measurement &m : input.measurements)
    result.rows.push_back({&m, predictSeconds(m, input.cluster, start),
                           predictSeconds(m, input.cluster, fitted)});
  result.errorBefore = errorOf(result.rows, false);
  result.errorAfter = errorOf(result.rows, true);
  return result;
}

std::string formatCalibrationError(const CalibrationError &error) {
  std::string text = error.file;
  if (error.line > 0)
    text +=
        ':' + std::to_string(error.line) + ':' + std::to_string(error.column);
  text += ": error: " + error.message;
  if (!error.hint.empty())
    text += "\nhint: " + error.hint;
  return text;
}

} // namespace rlg::planner
