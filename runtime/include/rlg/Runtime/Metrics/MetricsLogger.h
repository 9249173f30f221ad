// Per-step metrics: a JSON line per step in a file, a compact console line.
#pragma once

#include "rlg/Runtime/Metrics/Accumulator.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rlg::runtime {

/// One line of the metrics file.
struct MetricsRecord {
  int64_t step = 0;
  MetricMap values;
};

struct MetricsLoggerOptions {
  /// The JSONL file; empty for none. Its folder is created.
  std::filesystem::path path;
  /// The run's step count, shown as "step 12/200"; 0 to leave it out.
  int64_t totalSteps = 0;
  /// Where console lines go; null for none.
  std::ostream *console = nullptr;
};

/// Writes {"step": N, "<name>": value, ...} per step to the JSONL file,
/// flushed after each line, and a compact line to the console.
class MetricsLogger {
public:
  /// Opens the file for appending. `resumedStep` is the completed step count
  /// the run continues from (0 for a fresh run): records of later steps,
  /// and a partial last line, are dropped first, so that the file never
  /// holds two records of one step. Throws FileError.
  explicit MetricsLogger(MetricsLoggerOptions options, int64_t resumedStep = 0);
  ~MetricsLogger();
  MetricsLogger(const MetricsLogger &) = delete;
  MetricsLogger &operator=(const MetricsLogger &) = delete;

  /// Logs the metrics of completed step `step` (1-based; 0 for what was
  /// measured before the first step); `console` false writes the record
  /// only.
  void log(int64_t step, const MetricMap &metrics, bool console = true);

  const MetricsLoggerOptions &options() const { return options_; }

private:
  MetricsLoggerOptions options_;
  std::FILE *file_ = nullptr;
};

/// The JSON line of one step (no newline). Non-finite values are null.
std::string metricsJsonLine(int64_t step, const MetricMap &metrics);

/// The console line: "step 12/200 | score 0.41 | pg_loss -0.013 | kl 0.002 |
/// entropy 1.23 | len 6.1 | 1.9 s", with the metrics the step has.
std::string metricsConsoleLine(int64_t step, int64_t totalSteps,
                               const MetricMap &metrics);

/// A number in at most about four significant characters: 0.41, -0.013,
/// 1.23e-05, 1234.
std::string formatCompact(double value);

/// The records of a metrics file, in file order; lines that do not parse
/// as a record (a partial last line) are skipped. Throws FileError.
std::vector<MetricsRecord> readMetricsFile(const std::filesystem::path &path);

/// Rewrites `path` (atomically) keeping only the records of steps up to
/// `lastStep`; a missing file is left missing. Throws FileError.
void truncateMetricsFile(const std::filesystem::path &path, int64_t lastStep);

} // namespace rlg::runtime
