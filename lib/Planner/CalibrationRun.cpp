// Reading a runtime run folder as calibration measurements: each model op's
// measured time (trace.json) with its shape (schedule.json) and the
// sequences' lengths (metrics.jsonl).
#include "rlg/Planner/Calibration.h"

#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Support/TextDistance.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rlg::planner {

namespace {

namespace fs = std::filesystem;
using schedule::OpKind;

const char *const kRunHint =
    "a run folder is what `rlg run --out DIR` writes: schedule.json, "
    "metrics.jsonl and trace.json";

bool readText(const fs::path &path, std::string &text) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return false;
  std::ostringstream buffer;
  buffer << file.rdbuf();
  text = buffer.str();
  return true;
}

/// 1-based line and column of byte `offset` of `text`.
std::pair<int64_t, int64_t> lineColumn(const std::string &text, size_t offset) {
  int64_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

/// Sequences a value of `type` holds: the product of its dimensions
/// ("Rollouts[16 x 8]" is 128), twice that for pairs; 0 when unknown.
int64_t sequencesOf(const std::string &type) {
  size_t open = type.find('['), close = type.rfind(']');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return 0;
  std::string dims = type.substr(open + 1, close - open - 1);
  for (char &c : dims)
    if (c == 'x' || c == ',')
      c = ' ';
  std::istringstream in(dims);
  int64_t product = 1, value = 0;
  bool any = false;
  while (in >> value) {
    product *= value;
    any = true;
  }
  if (!any)
    return 0;
  if (type.rfind("Pair", 0) == 0)
    product *= 2;
  return product;
}

/// Sequences an op works on: its first output, else its first input's.
int64_t opSequences(const schedule::Step &step, const schedule::Op &op) {
  if (!op.outputs.empty())
    if (int64_t n = sequencesOf(op.outputs.front().type))
      return n;
  for (const std::string &input : op.inputs)
    if (const schedule::Op *source = step.findOp(input))
      if (!source->outputs.empty())
        if (int64_t n = sequencesOf(source->outputs.front().type))
          return n;
  return 0;
}

/// The sequences a step's perf/total_num_tokens counts: its generations'
/// rows, else the batches its param ops draw.
int64_t countedSequences(const schedule::Step &step) {
  int64_t generated = 0, drawn = 0;
  for (const schedule::Op &op : step.ops) {
    if (op.kind == OpKind::Generate)
      generated += opSequences(step, op);
    else if (op.kind == OpKind::Param && !op.outputs.empty())
      drawn += sequencesOf(op.outputs.front().type);
  }
  return generated > 0 ? generated : drawn;
}

double numberAttr(const schedule::Op &op, const std::string &key,
                  double fallback) {
  const schedule::AttrValue *value = schedule::findAttr(op.attrs, key);
  return value && value->isNumber() ? value->asDouble() : fallback;
}

struct StepMetrics {
  double tokens = 0;         // perf/total_num_tokens
  double responseLength = 0; // response_length/mean, 0 when absent
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// One op's spans: the step definition, the op and the measured seconds by
/// step number.
struct OpSpans {
  const schedule::Step *step = nullptr;
  const schedule::Op *op = nullptr;
  std::map<int64_t, double> seconds;
};

} // namespace

bool readRunFolder(const std::string &dir, const std::string &deviceOverride,
                   CalibrationInput &out,
                   std::vector<CalibrationError> &errors) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors.push_back({dir, 0, 0, "not a run folder", kRunHint});
    return false;
  }
  fs::path root(dir);
  std::string schedulePath = (root / "schedule.json").string();
  std::string tracePath = (root / "trace.json").string();
  std::string metricsPath = (root / "metrics.jsonl").string();

  schedule::Schedule plan;
  std::vector<schedule::ScheduleError> scheduleErrors;
  if (!fs::exists(schedulePath, ec)) {
    errors.push_back(
        {dir, 0, 0, "no schedule.json in the run folder",
         "`rlg run FILE.rlg --out DIR` writes it there; a run of a compiled "
         "schedule (--schedule S.json) does not: copy S.json into the "
         "folder as schedule.json"});
    return false;
  }
  if (!schedule::readScheduleFile(schedulePath, plan, scheduleErrors)) {
    for (const schedule::ScheduleError &error : scheduleErrors)
      errors.push_back({schedulePath, 0, 0,
                        schedule::formatScheduleError(error), error.hint});
    return false;
  }

  std::string traceText;
  if (!readText(tracePath, traceText)) {
    errors.push_back({dir, 0, 0, "no trace.json in the run folder",
                      "the runtime writes it at the end of a run (and after "
                      "each checkpoint); let `rlg run --out " +
                          dir + "` finish"});
    return false;
  }
  nlohmann::json trace;
  try {
    trace = nlohmann::json::parse(traceText);
  } catch (const nlohmann::json::parse_error &error) {
    auto [line, column] =
        lineColumn(traceText, error.byte > 0 ? error.byte - 1 : 0);
    // what() is "[json.exception...] parse error at line L, column C: why".
    std::string why = error.what();
    if (size_t colon = why.find(": "); colon != std::string::npos)
      why = why.substr(colon + 2);
    errors.push_back({tracePath, line, column, "not valid JSON: " + why,
                      "trace.json is the Chrome trace the runtime writes"});
    return false;
  }
  if (!trace.is_object() || !trace.contains("traceEvents") ||
      !trace["traceEvents"].is_array()) {
    errors.push_back({tracePath, 1, 1, "no 'traceEvents' array",
                      "trace.json is the Chrome trace the runtime writes"});
    return false;
  }

  // Lengths per step from metrics.jsonl.
  std::map<int64_t, StepMetrics> metrics;
  std::string metricsText;
  if (!readText(metricsPath, metricsText)) {
    errors.push_back({dir, 0, 0, "no metrics.jsonl in the run folder",
                      "the sequences' lengths come from its "
                      "perf/total_num_tokens; " +
                          std::string(kRunHint)});
    return false;
  }
  {
    std::istringstream lines(metricsText);
    std::string line;
    int64_t number = 0;
    while (std::getline(lines, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (!record.is_object() || !record.contains("step") ||
          !record["step"].is_number_integer()) {
        errors.push_back({metricsPath, number, 1,
                          "not a metrics record (a JSON object with 'step')",
                          "metrics.jsonl holds one record per step"});
        return false;
      }
      StepMetrics &step = metrics[record["step"].get<int64_t>()];
      if (auto it = record.find("perf/total_num_tokens");
          it != record.end() && it->is_number())
        step.tokens = it->get<double>();
      if (auto it = record.find("response_length/mean");
          it != record.end() && it->is_number())
        step.responseLength = it->get<double>();
    }
  }

  // Device: the override, else the schedule's kind.
  CalibrationInput input;
  input.source = dir;
  std::string deviceName = deviceOverride;
  if (deviceName.empty()) {
    if (plan.cluster.deviceKind == "cpu") {
      deviceName = "CPU";
    } else {
      errors.push_back({schedulePath, 0, 0,
                        "the run was on '" + plan.cluster.deviceKind +
                            "' devices, whose profile the schedule does not "
                            "name",
                        "name its profile with --device (" +
                            quotedList(deviceProfileNames()) + ")"});
      return false;
    }
  }
  std::optional<DeviceProfile> profile = findDeviceProfile(deviceName);
  if (!profile) {
    errors.push_back({"--device", 0, 0,
                      "unknown device profile '" + deviceName + "'",
                      unknownDeviceHint(deviceName)});
    return false;
  }

  // Step spans (no 'model' argument) name the step definition each step
  // number ran; op spans carry their model.
  const nlohmann::json &events = trace["traceEvents"];
  std::map<int64_t, const schedule::Step *> stepOf;
  for (const nlohmann::json &event : events) {
    if (!event.is_object() || event.value("ph", "") != "X" ||
        !event.contains("args") || !event["args"].is_object())
      continue;
    const nlohmann::json &args = event["args"];
    if (args.contains("model") || !args.contains("step") ||
        !args["step"].is_number_integer())
      continue;
    if (const schedule::Step *step =
            plan.findStep(event.value("name", std::string())))
      stepOf[args["step"].get<int64_t>()] = step;
  }
  std::map<std::pair<const schedule::Step *, std::string>, OpSpans> spans;
  std::vector<std::pair<const schedule::Step *, std::string>> order;
  for (const nlohmann::json &event : events) {
    if (!event.is_object() || event.value("ph", "") != "X" ||
        !event.contains("args") || !event["args"].is_object() ||
        !event.contains("dur") || !event["dur"].is_number())
      continue;
    const nlohmann::json &args = event["args"];
    if (!args.contains("model") || !args.contains("step") ||
        !args["step"].is_number_integer())
      continue;
    int64_t stepNumber = args["step"].get<int64_t>();
    auto step = stepOf.find(stepNumber);
    if (step == stepOf.end())
      continue;
    std::string id = event.value("name", std::string());
    const schedule::Op *op = step->second->findOp(id);
    if (!op || op->model.empty())
      continue;
    if (op->kind != OpKind::Generate && op->kind != OpKind::Logprob &&
        op->kind != OpKind::Value && op->kind != OpKind::Score &&
        op->kind != OpKind::Update)
      continue;
    auto key = std::make_pair(step->second, id);
    OpSpans &entry = spans[key];
    if (!entry.op) {
      entry.step = step->second;
      entry.op = op;
      order.push_back(key);
    }
    entry.seconds[stepNumber] += event["dur"].get<double>() * 1e-6;
  }
  if (order.empty()) {
    errors.push_back({tracePath, 0, 0,
                      "no measured generate, logprob, value, score or update "
                      "op in the trace",
                      "run at least one training step (rlg run --steps N)"});
    return false;
  }

  bool droppedWarmUp = false;
  int64_t maxTp = 1;
  for (const auto &key : order) {
    const OpSpans &entry = spans[key];
    const schedule::Op &op = *entry.op;
    const schedule::Model *model = plan.findModel(op.model);
    if (!model)
      continue;
    // The first step of each op warms up allocators and caches: drop it
    // when there are others.
    std::vector<int64_t> steps;
    std::vector<double> seconds;
    for (auto [number, time] : entry.seconds) {
      steps.push_back(number);
      seconds.push_back(time);
    }
    if (steps.size() > 1) {
      steps.erase(steps.begin());
      seconds.erase(seconds.begin());
      droppedWarmUp = true;
    }
    // Mean lengths over those steps.
    int64_t counted = countedSequences(*entry.step);
    double tokens = 0, response = 0;
    int64_t withMetrics = 0;
    for (int64_t number : steps) {
      auto it = metrics.find(number);
      if (it == metrics.end() || it->second.tokens <= 0 || counted <= 0)
        continue;
      tokens += it->second.tokens / static_cast<double>(counted);
      response += it->second.responseLength;
      ++withMetrics;
    }
    if (withMetrics == 0) {
      errors.push_back(
          {metricsPath, 0, 0,
           "no perf/total_num_tokens for the steps of op '" + op.id + "'",
           "the sequences' lengths come from metrics.jsonl"});
      return false;
    }
    tokens /= static_cast<double>(withMetrics);
    response /= static_cast<double>(withMetrics);

    Measurement m;
    m.model = model->preset.empty() ? "custom" : model->preset;
    m.arch = model->arch;
    m.tp = std::max<int64_t>(1, op.layout.tp);
    maxTp = std::max(maxTp, m.tp);
    m.batch = opSequences(*entry.step, op);
    m.seconds = median(seconds);
    m.file = schedulePath;
    std::string phase;
    switch (op.kind) {
    case OpKind::Generate: {
      m.phase = MeasuredPhase::Generate;
      int64_t samples = static_cast<int64_t>(numberAttr(op, "n", 1));
      m.prompts = samples > 0 ? m.batch / samples : m.batch;
      m.tokens = std::max<int64_t>(1, std::llround(tokens - response));
      m.steps = std::max<int64_t>(
          0, static_cast<int64_t>(numberAttr(op, "max_tokens", 64)) - 1);
      break;
    }
    case OpKind::Update: {
      m.phase = MeasuredPhase::Train;
      int64_t all = m.batch;
      int64_t minibatch = static_cast<int64_t>(numberAttr(op, "minibatch", 0));
      int64_t epochs = static_cast<int64_t>(numberAttr(op, "epochs", 1));
      m.batch = minibatch > 0 ? std::min(minibatch, all) : all;
      m.steps = std::max<int64_t>(1, epochs) * ((all + m.batch - 1) / m.batch);
      m.microBatch =
          op.layout.microbatch > 0
              ? op.layout.microbatch
              : static_cast<int64_t>(numberAttr(op, "microbatch", 0));
      m.checkpointing = op.layout.checkpointing;
      m.tokens = std::max<int64_t>(1, std::llround(tokens));
      break;
    }
    default:
      m.phase = MeasuredPhase::Forward;
      m.microBatch = op.layout.microbatch;
      m.tokens = std::max<int64_t>(1, std::llround(tokens));
      break;
    }
    if (m.batch <= 0)
      continue;
    std::string range = steps.size() == 1
                            ? "step " + std::to_string(steps.front())
                            : "steps " + std::to_string(steps.front()) + "-" +
                                  std::to_string(steps.back());
    m.label = op.id + " (" + op.model + ", " + range + ")";
    input.measurements.push_back(std::move(m));
  }
  if (droppedWarmUp)
    input.notes.push_back("each op's first step is dropped as warm-up; its "
                          "time is the median of the others");
  input.notes.push_back(
      "lengths are the steps' means from metrics.jsonl (perf/total_num_tokens, "
      "response_length/mean); generation runs max_tokens - 1 decode steps");
  input.cluster = singleNodeCluster(*profile, std::max<int64_t>(8, maxTp));
  if (!deviceOverride.empty())
    input.notes.push_back("device " + profile->name + " from --device");
  out = std::move(input);
  return true;
}

} // namespace rlg::planner
