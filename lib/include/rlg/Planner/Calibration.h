// Calibrating the cost model's efficiencies against measured phase times
// (a profile file or a runtime run folder) and stating its error before and
// after the fit. docs/cost-model.md, "Calibration".
#pragma once

#include "rlg/Planner/PhaseTimes.h"
#include "rlg/Spec/ClusterSpec.h"
#include "rlg/Spec/ModelPresets.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::planner {

/// What a measurement timed. Prefill, forward (a logprob, value or score
/// pass over whole sequences) and train mostly inform the compute fraction;
/// decode and generate (a prefill, then decode steps) the memory fraction;
/// all of them the per-layer overhead.
enum class MeasuredPhase { Decode, Prefill, Forward, Train, Generate };

/// "decode", "prefill", "forward", "train", "generate".
const char *measuredPhaseName(MeasuredPhase phase);

/// One timed piece of work on a tensor-parallel group of `tp` devices.
struct Measurement {
  std::string label; ///< "measurement 3 (decode)", "ro (actor, generate)"
  MeasuredPhase phase = MeasuredPhase::Prefill;
  std::string model; ///< the preset's name, or "custom"
  ModelArch arch;
  int64_t tp = 1;
  /// Sequences: decoded together, prefilled, or per optimiser step.
  int64_t batch = 0;
  /// Prefill, forward, train: tokens per sequence. Decode: the context of the
  /// first step. Generate: the prompt tokens per sequence.
  int64_t tokens = 0;
  /// Decode: decode steps (the context grows by one each). Generate: the
  /// decode steps after the prefill (new tokens - 1; the prefill gives the
  /// first, and step j runs at context tokens + 1 + j). Train: optimiser
  /// steps.
  int64_t steps = 1;
  /// Forward, train: sequences per micro-batch, 0 = batch.
  int64_t microBatch = 0;
  /// Generate: distinct prompts prefilled before each is sampled batch /
  /// prompts times (0 = batch).
  int64_t prompts = 0;
  bool checkpointing = false;
  double seconds = 0; ///< measured wall time of the whole measurement
  /// Where it was given: the file and a 1-based line (0 when not a line).
  std::string file;
  int64_t line = 0;
};

/// Measurements on one kind of device.
struct CalibrationInput {
  std::string source;  ///< the profile file or the run folder
  ClusterSpec cluster; ///< the device profile and its links
  std::vector<Measurement> measurements;
  /// Remarks on how the input was read ("first step dropped as warm-up").
  std::vector<std::string> notes;
};

/// A problem in a profile file or a run folder: the file, a 1-based line and
/// column (0 when the file as a whole is meant), what is wrong and a hint.
struct CalibrationError {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
  std::string message;
  std::string hint;
};

/// The hint for an unknown device profile `name`: "did you mean
/// 'H100-80GB'?" (a prefix or a close spelling), else the list of profiles.
std::string unknownDeviceHint(const std::string &name);

/// A cluster of one node of `devicesPerNode` devices of `device`, with the
/// profile's default links (what a device-only input is timed on).
ClusterSpec singleNodeCluster(const DeviceProfile &device,
                              int64_t devicesPerNode = 8);

/// Reads a calibration profile (TOML; docs/cost-model.md, "Calibration").
/// `deviceOverride`, when not empty, replaces the file's device. A cluster
/// file it names is read relative to the profile's folder.
bool readProfileText(const std::string &text, const std::string &path,
                     const std::string &deviceOverride, CalibrationInput &out,
                     std::vector<CalibrationError> &errors);
bool readProfileFile(const std::string &path, const std::string &deviceOverride,
                     CalibrationInput &out,
                     std::vector<CalibrationError> &errors);

/// Reads a runtime run folder: schedule.json for the ops' shapes and the
/// models, trace.json for their measured times, metrics.jsonl (optional)
/// for the sequences' lengths. The device is the schedule's ("cpu" is the
/// CPU profile) unless `deviceOverride` names one; a CUDA run needs it.
bool readRunFolder(const std::string &dir, const std::string &deviceOverride,
                   CalibrationInput &out,
                   std::vector<CalibrationError> &errors);

/// The cost model's time for `measurement` with `efficiency`, from the
/// phase times of PhaseTimes.h.
double predictSeconds(const Measurement &measurement,
                      const ClusterSpec &cluster, const Efficiency &efficiency);

/// Mean and largest |predicted - measured| / measured.
struct ErrorStats {
  double mean = 0;
  double max = 0;
};

struct CalibrationRow {
  const Measurement *measurement = nullptr;
  double before = 0; ///< predicted with the starting constants
  double after = 0;  ///< predicted with the fitted ones
};

struct CalibrationResult {
  Efficiency before, after;
  /// Measurements of each fraction's phases (0: it is left as it was).
  int64_t computeMeasurements = 0, memoryMeasurements = 0;
  /// A fitted fraction that reached the search's bound (1e-6 or 10).
  bool computeAtBound = false, memoryAtBound = false;
  /// Whether the measurements pin the fraction down: false when a range of
  /// values fits them equally well (they are bound by the other term or by
  /// collectives past some point); the starting value is kept when it is in
  /// that range.
  bool computeDetermined = false, memoryDetermined = false;
  /// Whether moving the fitted per-layer overhead fits worse (at 0: whether
  /// 1 us per layer pass does).
  bool overheadDetermined = false;
  std::vector<CalibrationRow> rows; ///< one per measurement, in input order
  ErrorStats errorBefore, errorAfter;
};

/// Fits the compute and memory fractions and the per-layer overhead
/// together, minimising the sum over the measurements of squared log ratios
/// log(predicted / measured): first the two fractions alone (alternating
/// one-dimensional searches, the overhead as in `start`), then again with
/// the overhead at its best for each trial value, and the overhead last
/// (at least 0). The other fields of `start` are kept. A constant no
/// measurement moves keeps its starting value, and where an overhead only
/// trades against a fraction the fractions-only fit is kept.
CalibrationResult calibrate(const CalibrationInput &input,
                            const Efficiency &start = {});

/// The calibration file `rlg plan --calibration` reads: the fitted
/// [efficiency] and the [error] it leaves, with the device and the source.
std::string writeCalibrationToml(const CalibrationResult &result,
                                 const CalibrationInput &input);

/// Reads a calibration file's [efficiency] into `efficiency` (fields it does
/// not give keep their values). `device`, when not null, gets the file's
/// device name ("" when absent). Located errors as for profiles.
bool readCalibrationText(const std::string &text, const std::string &path,
                         Efficiency &efficiency,
                         std::vector<CalibrationError> &errors,
                         std::string *device = nullptr);
bool readCalibrationFile(const std::string &path, Efficiency &efficiency,
                         std::vector<CalibrationError> &errors,
                         std::string *device = nullptr);

/// "file:3:7: error: message" followed by "hint: ..." when there is one.
std::string formatCalibrationError(const CalibrationError &error);

} // namespace rlg::planner
