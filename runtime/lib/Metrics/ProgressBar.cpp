// The progress bar: \r redraws on a terminal, rare plain lines elsewhere.
#include "rlg/Runtime/Metrics/ProgressBar.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace rlg::runtime {

ProgressBarOptions progressOptions(std::string label, int64_t total) {
  ProgressBarOptions options;
  options.label = std::move(label);
  options.total = total;
  return options;
}

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  auto total = static_cast<long long>(std::llround(seconds));
  char buffer[32];
  if (total < 60)
    std::snprintf(buffer, sizeof buffer, "%llds", total);
  else if (total < 3600)
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", total / 60,
                  total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", total / 3600,
                  (total % 3600) / 60);
  return buffer;
}

namespace {

std::string formatRate(double rate) {
  char buffer[32];
  if (rate >= 100)
    std::snprintf(buffer, sizeof buffer, "%.0f/s", rate);
  else
    std::snprintf(buffer, sizeof buffer, "%.1f/s", rate);
  return buffer;
}

double steadySeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

ProgressBar::ProgressBar(ProgressBarOptions options)
    : options_(std::move(options)) {
  out_ = options_.out ? options_.out : &std::cerr;
  tty_ = options_.tty ? *options_.tty : ::isatty(STDERR_FILENO) != 0;
  if (!options_.clock)
    options_.clock = steadySeconds;
  start_ = options_.clock();
}

ProgressBar::~ProgressBar() {
  if (!finished_) {
    try {
      finish();
    } catch (...) {
    }
  }
}

std::string ProgressBar::render(int64_t done, double elapsed) const {
  int64_t total = options_.total;
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  bool finished = total > 0 && done >= total;
  std::string time;
  if (finished || total <= 0)
    time = formatDuration(elapsed);
  else if (rate > 0)
    time = "ETA " + formatDuration(static_cast<double>(total - done) / rate);
  else
    time = "ETA ?";
  std::string count = std::to_string(done);
  if (total > 0)
    count += "/" + std::to_string(total);

  if (tty_) {
    std::string line = options_.label + "  " + count;
    if (total > 0) {
      int width = options_.width > 0 ? options_.width : 1;
      double fraction =
          std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
      int filled = static_cast<int>(fraction * width);
      std::string bar(static_cast<size_t>(width), ' ');
      for (int i = 0; i < filled; ++i)
        bar[static_cast<size_t>(i)] = '=';
      if (filled < width)
        bar[static_cast<size_t>(filled)] = '>';
      line += " [" + bar + "]";
    }
    return line + " " + formatRate(rate) + " " + time;
  }
  std::string line = options_.label + ": " + count;
  if (total > 0) {
    int percent =
        static_cast<int>(100.0 * std::min(1.0, static_cast<double>(done) /
                                                   static_cast<double>(total)));
    line += " (" + std::to_string(percent) + "%)";
  }
  return line + ", " + formatRate(rate) + ", " + time;
}

void ProgressBar::update(int64_t done) {
  if (finished_)
    return;
  done_ = done;
  double now = options_.clock();
  if (tty_) {
    if (lastDraw_ < 0 || now - lastDraw_ >= options_.redrawSeconds) {
      lastDraw_ = now;
      draw();
    }
    return;
  }
  double since = lastDraw_ < 0 ? now - start_ : now - lastDraw_;
  if (since >= options_.plainSeconds) {
    lastDraw_ = now;
    draw();
  }
}

void ProgressBar::finish() {
  if (finished_)
    return;
  finished_ = true;
  double now = options_.clock();
  if (tty_) {
    if (options_.keep) {
      draw();
      *out_ << '\n';
    } else if (lastWidth_ > 0) {
      *out_ << '\r' << std::string(lastWidth_, ' ') << '\r';
    }
    out_->flush();
    return;
  }
  // A log file gets a last line only for work that was long enough to
  // print one before.
  if (lastDraw_ >= 0 || now - start_ >= options_.plainSeconds)
    draw();
}

void ProgressBar::draw() {
  std::string text = render(done_, options_.clock() - start_);
  if (tty_) {
    std::string padded = text;
    if (padded.size() < lastWidth_)
      padded += std::string(lastWidth_ - padded.size(), ' ');
    *out_ << '\r' << padded;
    lastWidth_ = text.size();
  } else {
    *out_ << text << '\n';
  }
  out_->flush();
}

} // namespace rlg::runtime
