// The metrics JSONL file and console line.
#include "rlg/Runtime/Metrics/MetricsLogger.h"

#include "rlg/Runtime/Metrics/MetricNames.h"
#include "rlg/Runtime/Support/Files.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ostream>

namespace rlg::runtime {
namespace fs = std::filesystem;

namespace {

/// The step of a JSONL line, or nullopt when it is not a record.
std::optional<int64_t> recordStep(const std::string &line) {
  nlohmann::json record =
      nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object() || !record.contains("step") ||
      !record["step"].is_number_integer())
    return std::nullopt;
  return record["step"].get<int64_t>();
}

} // namespace

std::string formatCompact(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char buffer[32];
  double magnitude = std::fabs(value);
  if (magnitude >= 1000 && magnitude < 1e7)
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  else
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string metricsJsonLine(int64_t step, const MetricMap &metrics) {
  nlohmann::ordered_json record;
  record["step"] = step;
  for (const auto &[name, value] : metrics) {
    if (name == "step")
      continue;
    if (std::isfinite(value))
      record[name] = value;
    else
      record[name] = nullptr;
  }
  return record.dump();
}

std::string metricsConsoleLine(int64_t step, int64_t totalSteps,
                               const MetricMap &metrics) {
  std::string line = "step " + std::to_string(step);
  if (totalSteps > 0)
    line += "/" + std::to_string(totalSteps);
  auto field = [&](const char *label, const std::string &name) {
    auto it = metrics.find(name);
    if (it != metrics.end())
      line += std::string(" | ") + label + " " + formatCompact(it->second);
  };
  field("score", metric::kScoreMean);
  if (!metrics.count(metric::kPgLoss))
    field("loss", metric::kActorLoss);
  field("pg_loss", metric::kPgLoss);
  field("vf_loss", metric::kVfLoss);
  field("kl", metric::kPpoKl);
  field("entropy", metric::kEntropy);
  field("len", metric::kResponseLengthMean);
  // A reward model's fit, and optimiser steps skipped for non-finite
  // gradients.
  field("rm_loss", "reward/loss");
  field("rm_acc", "reward/accuracy");
  field("pref_acc", "actor/preference_accuracy");
  for (const char *prefix : {"actor/", "critic/", "reward/"})
    field("skipped", std::string(prefix) + "skipped_updates");
  // Evaluations, when the step ran them: "gsm8k acc 0.52".
  const std::string evalPrefix = "eval/", accuracy = "/accuracy";
  for (const auto &[name, value] : metrics) {
    if (name.rfind(evalPrefix, 0) != 0 || name.size() <= accuracy.size() ||
        name.compare(name.size() - accuracy.size(), accuracy.size(),
                     accuracy) != 0)
      continue;
    std::string data = name.substr(
        evalPrefix.size(), name.size() - evalPrefix.size() - accuracy.size());
    line += " | " + data + " acc " + formatCompact(value);
  }
  auto time = metrics.find(metric::kTimingStep);
  if (time != metrics.end())
    line += " | " + formatCompact(time->second) + " s";
  return line;
}

std::vector<MetricsRecord> readMetricsFile(const fs::path &path) {
  std::string text = readFileBytes(path);
  std::vector<MetricsRecord> records;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break; // A partial last line.
    nlohmann::json record =
        nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (!record.is_object() || !record.contains("step") ||
        !record["step"].is_number_integer())
      continue;
    MetricsRecord out;
    out.step = record["step"].get<int64_t>();
    for (const auto &[name, value] : record.items()) {
      if (name == "step")
        continue;
      if (value.is_number())
        out.values[name] = value.get<double>();
      else if (value.is_null())
        out.values[name] = std::nan("");
    }
    records.push_back(std::move(out));
  }
  return records;
}

void truncateMetricsFile(const fs::path &path, int64_t lastStep) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return;
  std::string text = readFileBytes(path);
  std::string kept;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break; // A partial last line is dropped.
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::optional<int64_t> step = recordStep(line);
    if (step && *step <= lastStep)
      kept += line + "\n";
  }
  if (kept != text)
    writeFileAtomic(path, kept);
}

MetricsLogger::MetricsLogger(MetricsLoggerOptions options, int64_t resumedStep)
    : options_(std::move(options)) {
  if (options_.path.empty())
    return;
  std::error_code ec;
  if (options_.path.has_parent_path())
    fs::create_directories(options_.path.parent_path(), ec);
  if (ec)
    throw FileError(options_.path.parent_path(),
                    "cannot create the folder: " + ec.message());
  truncateMetricsFile(options_.path, resumedStep);
  file_ = std::fopen(options_.path.c_str(), "a");
  if (!file_)
    throw FileError(options_.path,
                    std::string("cannot open: ") + std::strerror(errno));
}

MetricsLogger::~MetricsLogger() {
  if (file_)
    std::fclose(file_);
}

void MetricsLogger::log(int64_t step, const MetricMap &metrics, bool console) {
  if (file_) {
    std::string line = metricsJsonLine(step, metrics) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fflush(file_) != 0)
      throw FileError(options_.path,
                      std::string("cannot write: ") + std::strerror(errno));
  }
  if (console && options_.console)
    *options_.console << metricsConsoleLine(step, options_.totalSteps, metrics)
                      << std::endl;
}

} // namespace rlg::runtime
