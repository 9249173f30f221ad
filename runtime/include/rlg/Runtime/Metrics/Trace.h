// Timelines in the Chrome trace event format, which Perfetto
// (ui.perfetto.dev) and chrome://tracing open. The runtime records the
// measured timeline with TraceWriter; predicted timelines use the same
// plain TraceEvent list, so this header needs nothing of the runtime.
//
// A file is {"traceEvents": [...], "displayTimeUnit": "ms"}. Each span is a
// complete event ("ph": "X") with "ts" and "dur" in microseconds; "pid" is
// the device rank and "tid" the stage's track, named by "thread_name"
// metadata events ("ph": "M"); "process_name" names the rank.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rlg::runtime {

/// One trace event. Complete events ('X') use every field; metadata events
/// ('M') name a process or thread through args {"name": ...}; instant
/// events ('i') have no duration; counter events ('C') carry their series
/// in args.
struct TraceEvent {
  std::string name;
  std::string category; // "cat": the model or kind of work, may be "".
  char phase = 'X';
  double tsUs = 0;
  double durUs = 0;
  int64_t pid = 0;
  int64_t tid = 0;
  nlohmann::json args = nlohmann::json::object();
};

/// The trace file's JSON: {"traceEvents": [...], "displayTimeUnit": "ms"}.
nlohmann::json traceToJson(const std::vector<TraceEvent> &events);
/// The events of a trace file's JSON. Throws std::invalid_argument when it
/// is not one.
std::vector<TraceEvent> traceFromJson(const nlohmann::json &trace);
/// Writes the trace file atomically (temp file + rename). Throws FileError.
void writeTraceFile(const std::filesystem::path &path,
                    const std::vector<TraceEvent> &events);

/// Metadata events naming a process (a rank) and a track (a stage).
TraceEvent processNameEvent(int64_t pid, const std::string &name);
TraceEvent threadNameEvent(int64_t pid, int64_t tid, const std::string &name);
TraceEvent threadSortEvent(int64_t pid, int64_t tid, int64_t index);

/// Records the measured timeline of one process (one device rank). Each
/// stage gets its own track: tid 1, 2, ... in order of first use, named
/// after the stage. A span's track is its stage, which is its name unless
/// given ("generate" on track "generate"; "micro-batch 3" on track
/// "train_actor"). Safe to use from several threads.
class TraceWriter {
public:
  /// `originUs`: microseconds since the Unix epoch that become ts 0; ranks
  /// that share one origin line up when their files are merged. 0: now.
  explicit TraceWriter(int64_t rank = 0, std::string processName = "",
                       int64_t originUs = 0);

  /// Microseconds since the origin.
  double nowUs() const;
  /// The tid of `stage`'s track, created (with its name event) on first use.
  int64_t track(const std::string &stage);
  /// Records a complete event on the track `stage` (or `name` when empty).
  void complete(const std::string &name, const std::string &category,
                double startUs, double durUs,
                nlohmann::json args = nlohmann::json::object(),
                const std::string &stage = "");
  /// Records an instant event (a marker) now.
  void instant(const std::string &name, const std::string &category,
               nlohmann::json args = nlohmann::json::object(),
               const std::string &stage = "");

  int64_t rank() const { return rank_; }
  /// Metadata events first, then the recorded events in order.
  std::vector<TraceEvent> events() const;
  /// writeTraceFile(path, events()).
  void write(const std::filesystem::path &path) const;

private:
  int64_t trackLocked(const std::string &stage);

  int64_t rank_;
  std::chrono::steady_clock::time_point start_;
  double startOffsetUs_ = 0; // start_ in microseconds since the origin.
  mutable std::mutex mutex_;
  std::vector<TraceEvent> metadata_;
  std::vector<TraceEvent> events_;
  std::map<std::string, int64_t> tracks_;
};

/// Times a scope: records a complete event when it ends (or at end()).
/// A null writer records nothing.
///   TraceSpan span(trace, "generate", "actor", {{"batch", 16}});
/// records "generate" with category "actor" on the track "generate".
class TraceSpan {
public:
  TraceSpan(TraceWriter &writer, std::string name, std::string category = "",
            nlohmann::json args = nlohmann::json::object(),
            std::string stage = "");
  TraceSpan(TraceWriter *writer, std::string name, std::string category = "",
            nlohmann::json args = nlohmann::json::object(),
            std::string stage = "");
  ~TraceSpan();
  TraceSpan(const TraceSpan &) = delete;
  TraceSpan &operator=(const TraceSpan &) = delete;

  /// Adds an argument shown with the span (e.g. a token count known late).
  void arg(const std::string &key, nlohmann::json value);
  /// Ends the span now and returns its duration in seconds; later calls
  /// return the same and the destructor does nothing.
  double end();

private:
  TraceWriter *writer_;
  std::string name_;
  std::string category_;
  std::string stage_;
  nlohmann::json args_;
  std::chrono::steady_clock::time_point start_;
  double startUs_ = 0;
  double seconds_ = 0;
  bool ended_ = false;
};

} // namespace rlg::runtime
