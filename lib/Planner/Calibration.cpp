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
#include <tuple>

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

/// A golden-section search for the minimum of `loss` in [a, b].
double goldenSection(const std::function<double(double)> &loss, double a,
                     double b) {
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
  return (a + b) / 2.0;
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
  double x = goldenSection(loss, std::max(kLowLog, bestX - kGridStep),
                           std::min(kHighLog, bestX + kGridStep));
  if (loss(x) > bestLoss)
    x = bestX;
  atBound = x <= kLowLog + kGridStep / 2 || x >= kHighLog - kGridStep / 2;
  return x;
}

/// The range of the per-layer overhead's search, as log10 of microseconds:
/// 1 ns to 1 s, and 0.
constexpr double kLowOverheadLog = -3.0;
constexpr double kHighOverheadLog = 6.0;

/// Sum of squared log ratios log(predicted / measured).
double logLoss(const std::vector<double> &predicted,
               const std::vector<Measurement> &measurements) {
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    double ratio = std::log(predicted[i] / measurements[i].seconds);
    sum += ratio * ratio;
  }
  return sum;
}

/// Whether `value` is as good as the minimum `best` (up to rounding).
bool noWorse(double value, double best) {
  return value <= best * (1 + 1e-9) + 1e-18;
}

/// The measurements' predictions split into the part that does not depend
/// on the per-layer overhead and the seconds each microsecond of it adds
/// (the overhead enters every phase time linearly, with a factor that does
/// not depend on the other constants), so that the best overhead for given
/// fractions is a cheap one-dimensional search.
class OverheadSplit {
public:
  explicit OverheadSplit(const CalibrationInput &input) : input(input) {
    Efficiency none, probe;
    // Large enough that the difference is the overhead's to many digits.
    constexpr double kProbeUs = 1e6;
    probe.layerOverheadUs = kProbeUs;
    for (const Measurement &m : input.measurements)
      perUs.push_back((predictSeconds(m, input.cluster, probe) -
                       predictSeconds(m, input.cluster, none)) /
                      kProbeUs);
    base.resize(perUs.size());
    predicted.resize(perUs.size());
  }

  /// Predictions with the fractions of `efficiency` and no overhead.
  void setFractions(const Efficiency &efficiency) {
    Efficiency none = efficiency;
    none.layerOverheadUs = 0;
    for (size_t i = 0; i < base.size(); ++i)
      base[i] = predictSeconds(input.measurements[i], input.cluster, none);
  }

  /// The loss of the fractions last set with `overheadUs`.
  double loss(double overheadUs) {
    for (size_t i = 0; i < base.size(); ++i)
      predicted[i] = base[i] + overheadUs * perUs[i];
    return logLoss(predicted, input.measurements);
  }

  /// The overhead minimising the loss of the fractions last set: 0 or
  /// 10^kLowOverheadLog .. 10^kHighOverheadLog us by a grid and a
  /// golden-section search. `preferred` wins when it is as good, else the
  /// smallest of equally good values.
  double best(double preferred) {
    double bestUs = 0, bestLoss = loss(0);
    double bestX = 0;
    int points = static_cast<int>(
        std::lround((kHighOverheadLog - kLowOverheadLog) / kGridStep));
    for (int i = 0; i <= points; ++i) {
      double x = kLowOverheadLog + kGridStep * i;
      double value = loss(std::pow(10.0, x));
      if (value < bestLoss) {
        bestLoss = value;
        bestUs = std::pow(10.0, x);
        bestX = x;
      }
    }
    if (bestUs > 0) {
      double x = goldenSection(
          [&](double logUs) { return loss(std::pow(10.0, logUs)); },
          std::max(kLowOverheadLog, bestX - kGridStep),
          std::min(kHighOverheadLog, bestX + kGridStep));
      double value = loss(std::pow(10.0, x));
      if (value <= bestLoss) {
        bestLoss = value;
        bestUs = std::pow(10.0, x);
      }
    }
    if (preferred >= 0 && noWorse(loss(preferred), bestLoss))
      return preferred;
    return bestUs;
  }

private:
  const CalibrationInput &input;
  std::vector<double> perUs, base, predicted;
};

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

  std::vector<double> predicted(input.measurements.size());
  // The loss with every constant of `efficiency`.
  auto fixedLoss = [&](const Efficiency &efficiency) {
    for (size_t i = 0; i < predicted.size(); ++i)
      predicted[i] =
          predictSeconds(input.measurements[i], input.cluster, efficiency);
    return logLoss(predicted, input.measurements);
  };
  OverheadSplit split(input);
  // The loss of the fractions of `efficiency` with the best overhead for
  // them.
  auto bestOverheadLoss = [&](const Efficiency &efficiency) {
    split.setFractions(efficiency);
    return split.loss(split.best(start.layerOverheadUs));
  };

  Efficiency fitted = start;
  // One fraction's fit, the other constants as they are (or the overhead
  // the best for each trial value); among equally good values (the
  // measurements are bound by the other term, or by collectives, past some
  // point) `reference`'s is kept.
  auto fitOne = [&](double Efficiency::*field, bool freeOverhead,
                    const Efficiency &reference, bool &atBound) {
    auto loss = [&](double logEta) {
      Efficiency trial = fitted;
      trial.*field = std::pow(10.0, logEta);
      return freeOverhead ? bestOverheadLoss(trial) : fixedLoss(trial);
    };
    double x = minimiseLog(loss, atBound);
    double best = loss(x);
    double referenceX = std::log10(reference.*field);
    if (referenceX >= kLowLog && referenceX <= kHighLog &&
        noWorse(loss(referenceX), best)) {
      x = referenceX;
      atBound = false;
    }
    fitted.*field = std::pow(10.0, x);
  };
  // Alternate the two fractions until neither moves (a generate
  // measurement's prefill reads the compute one, a memory-bound forward
  // pass the memory one; with the overhead free, both share it).
  auto alternate = [&](bool freeOverhead, const Efficiency &reference) {
    for (int round = 0; round < 50; ++round) {
      Efficiency previous = fitted;
      if (result.computeMeasurements > 0)
        fitOne(&Efficiency::compute, freeOverhead, reference,
               result.computeAtBound);
      if (result.memoryMeasurements > 0)
        fitOne(&Efficiency::memory, freeOverhead, reference,
               result.memoryAtBound);
      if (std::abs(fitted.compute / previous.compute - 1) < 1e-9 &&
          std::abs(fitted.memory / previous.memory - 1) < 1e-9)
        break;
    }
  };
  if (!input.measurements.empty()) {
    // First the fractions alone, with the starting overhead: where an
    // overhead explains nothing the roofline cannot, these are kept.
    alternate(false, start);
    // Then with the overhead free, from there.
    Efficiency fractionsOnly = fitted;
    alternate(true, fractionsOnly);
    split.setFractions(fitted);
    fitted.layerOverheadUs = split.best(start.layerOverheadUs);
  }
  // Whether moving one constant (the others as fitted) fits worse.
  double best = fixedLoss(fitted);
  auto worseAt = [&](double Efficiency::*field, double value) {
    Efficiency trial = fitted;
    trial.*field = value;
    return !noWorse(fixedLoss(trial), best);
  };
  const double step = std::pow(10.0, 2 * kGridStep);
  auto pinned = [&](double Efficiency::*field) {
    double value = fitted.*field;
    return value > 0
               ? worseAt(field, value / step) && worseAt(field, value * step)
               : worseAt(field, 1.0); // an overhead of 0: 1 us
  };
  // A fraction its measurements leave free (bound by the other term) goes
  // back to its starting value when that fits as well.
  for (auto [field, count, atBound] :
       {std::make_tuple(&Efficiency::compute, result.computeMeasurements,
                        &result.computeAtBound),
        std::make_tuple(&Efficiency::memory, result.memoryMeasurements,
                        &result.memoryAtBound)})
    if (count > 0 && !pinned(field) && !worseAt(field, start.*field)) {
      fitted.*field = start.*field;
      *atBound = false;
    }
  best = fixedLoss(fitted);
  result.computeDetermined =
      result.computeMeasurements > 0 && pinned(&Efficiency::compute);
  result.memoryDetermined =
      result.memoryMeasurements > 0 && pinned(&Efficiency::memory);
  result.overheadDetermined =
      !input.measurements.empty() && pinned(&Efficiency::layerOverheadUs);
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
