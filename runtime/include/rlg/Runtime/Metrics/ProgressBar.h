// A progress bar for long work: one redrawn line on a terminal, occasional
// plain lines in a log file.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace rlg::runtime {

struct ProgressBarOptions {
  std::string label;           // "generate", "eval gsm8k", ...
  int64_t total = 0;           // 0: unknown (no bar, no ETA).
  std::ostream *out = nullptr; // Null: std::cerr.
  /// Terminal or not; unset: whether stderr is a TTY.
  std::optional<bool> tty;
  double redrawSeconds = 0.1; // TTY: at most one redraw per this.
  double plainSeconds = 30.0; // Not a TTY: at most one line per this.
  int width = 24;             // Characters between the brackets.
  /// TTY: leave the finished bar on screen (else the line is cleared, so
  /// that only the step lines remain).
  bool keep = false;
  /// Seconds from an arbitrary origin; unset: a steady clock. For tests.
  std::function<double()> clock;
};

/// Options for `total` items of work called `label`, the rest defaulted.
ProgressBarOptions progressOptions(std::string label, int64_t total);

/// On a terminal: "generate  37/128 [======>          ] 12.3/s ETA 7s",
/// redrawn in place with \r. Elsewhere (a log file): "generate: 37/128
/// (29%), 12.3/s, ETA 7s" lines, at most one per plainSeconds, and a last
/// one when finished, but only for work that printed one before: work
/// shorter than plainSeconds leaves no line in a log.
class ProgressBar {
public:
  explicit ProgressBar(ProgressBarOptions options);
  ~ProgressBar(); // Finishes the line if finish() was not called.
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

  /// `done` items are complete.
  void update(int64_t done);
  void advance(int64_t count = 1) { update(done_ + count); }
  /// Draws the final state and ends the line.
  void finish();

  /// The status text for `done` items after `elapsed` seconds.
  std::string render(int64_t done, double elapsed) const;

private:
  void draw();

  ProgressBarOptions options_;
  std::ostream *out_;
  bool tty_;
  double start_ = 0;
  double lastDraw_ = -1;
  int64_t done_ = 0;
  bool finished_ = false;
  size_t lastWidth_ = 0;
};

/// "7s", "1m05s", "2h03m".
std::string formatDuration(double seconds);

} // namespace rlg::runtime
