// Chrome trace event files: the event list, its JSON, the recording writer.
#include "rlg/Runtime/Metrics/Trace.h"

#include "rlg/Runtime/Support/Files.h"

#include <stdexcept>

namespace rlg::runtime {
using nlohmann::json;

namespace {

int64_t unixMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TraceEvent metadataEvent(const char *name, int64_t pid, int64_t tid,
                         json args) {
  TraceEvent event;
  event.name = name;
  event.phase = 'M';
  event.pid = pid;
  event.tid = tid;
  event.args = std::move(args);
  return event;
}

} // namespace

json traceToJson(const std::vector<TraceEvent> &events) {
  json list = json::array();
  for (const TraceEvent &event : events) {
    json out = {{"name", event.name},
                {"ph", std::string(1, event.phase)},
                {"pid", event.pid},
                {"tid", event.tid}};
    if (!event.category.empty())
      out["cat"] = event.category;
    if (event.phase != 'M')
      out["ts"] = event.tsUs;
    if (event.phase == 'X')
      out["dur"] = event.durUs;
    if (event.phase == 'i')
      out["s"] = "t"; // An instant on its thread's track.
    if (!event.args.empty())
      out["args"] = event.args;
    list.push_back(std::move(out));
  }
  return {{"traceEvents", list}, {"displayTimeUnit", "ms"}};
}

std::vector<TraceEvent> traceFromJson(const json &trace) {
  const json *list = &trace;
  if (trace.is_object()) {
    if (!trace.contains("traceEvents") || !trace["traceEvents"].is_array())
      throw std::invalid_argument("a trace object needs a traceEvents array");
    list = &trace["traceEvents"];
  } else if (!trace.is_array()) {
    throw std::invalid_argument("a trace is an object or an array of events");
  }
  std::vector<TraceEvent> events;
  for (const json &item : *list) {
    if (!item.is_object())
      throw std::invalid_argument("a trace event is not an object");
    TraceEvent event;
    try {
      event.name = item.value("name", "");
      event.category = item.value("cat", "");
      std::string phase = item.value("ph", "X");
      if (phase.size() != 1)
        throw std::invalid_argument("a trace event's ph is not one letter");
      event.phase = phase[0];
      event.tsUs = item.value("ts", 0.0);
      event.durUs = item.value("dur", 0.0);
      event.pid = item.value("pid", int64_t(0));
      event.tid = item.value("tid", int64_t(0));
      if (item.contains("args"))
        event.args = item["args"];
    } catch (const json::exception &error) {
      throw std::invalid_argument(std::string("a trace event has a field of "
                                              "the wrong type: ") +
                                  error.what());
    }
    events.push_back(std::move(event));
  }
  return events;
}

void writeTraceFile(const std::filesystem::path &path,
                    const std::vector<TraceEvent> &events) {
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  writeFileAtomic(path, traceToJson(events).dump() + "\n");
}

TraceEvent processNameEvent(int64_t pid, const std::string &name) {
  return metadataEvent("process_name", pid, 0, {{"name", name}});
}

TraceEvent threadNameEvent(int64_t pid, int64_t tid, const std::string &name) {
  return metadataEvent("thread_name", pid, tid, {{"name", name}});
}

TraceEvent threadSortEvent(int64_t pid, int64_t tid, int64_t index) {
  return metadataEvent("thread_sort_index", pid, tid, {{"sort_index", index}});
}

TraceWriter::TraceWriter(int64_t rank, std::string processName,
                         int64_t originUs)
    : rank_(rank), start_(std::chrono::steady_clock::now()) {
  int64_t now = unixMicros();
  startOffsetUs_ = originUs > 0 ? static_cast<double>(now - originUs) : 0.0;
  metadata_.push_back(processNameEvent(
      rank,
      processName.empty() ? "rank " + std::to_string(rank) : processName));
  metadata_.push_back(
      metadataEvent("process_sort_index", rank, 0, {{"sort_index", rank}}));
}

double TraceWriter::nowUs() const {
  return startOffsetUs_ + std::chrono::duration<double, std::micro>(
                              std::chrono::steady_clock::now() - start_)
                              .count();
}

int64_t TraceWriter::trackLocked(const std::string &stage) {
  auto it = tracks_.find(stage);
  if (it != tracks_.end())
    return it->second;
  auto tid = static_cast<int64_t>(tracks_.size()) + 1;
  tracks_[stage] = tid;
  metadata_.push_back(threadNameEvent(rank_, tid, stage));
  metadata_.push_back(threadSortEvent(rank_, tid, tid));
  return tid;
}

int64_t TraceWriter::track(const std::string &stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  return trackLocked(stage);
}

void TraceWriter::complete(const std::string &name, const std::string &category,
                           double startUs, double durUs, json args,
                           const std::string &stage) {
  TraceEvent event;
  event.name = name;
  event.category = category;
  event.phase = 'X';
  event.tsUs = startUs;
  event.durUs = durUs < 0 ? 0 : durUs;
  event.pid = rank_;
  event.args = std::move(args);
  std::lock_guard<std::mutex> lock(mutex_);
  event.tid = trackLocked(stage.empty() ? name : stage);
  events_.push_back(std::move(event));
}

void TraceWriter::instant(const std::string &name, const std::string &category,
                          json args, const std::string &stage) {
  TraceEvent event;
  event.name = name;
  event.category = category;
  event.phase = 'i';
  event.tsUs = nowUs();
  event.pid = rank_;
  event.args = std::move(args);
  std::lock_guard<std::mutex> lock(mutex_);
  event.tid = trackLocked(stage.empty() ? name : stage);
  events_.push_back(std::move(event));
}

std::vector<TraceEvent> TraceWriter::events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TraceEvent> out = metadata_;
  out.insert(out.end(), events_.begin(), events_.end());
  return out;
}

void TraceWriter::write(const std::filesystem::path &path) const {
  writeTraceFile(path, events());
}

TraceSpan::TraceSpan(TraceWriter &writer, std::string name,
                     std::string category, json args, std::string stage)
    : TraceSpan(&writer, std::move(name), std::move(category), std::move(args),
                std::move(stage)) {}

TraceSpan::TraceSpan(TraceWriter *writer, std::string name,
                     std::string category, json args, std::string stage)
    : writer_(writer), name_(std::move(name)), category_(std::move(category)),
      stage_(std::move(stage)), args_(std::move(args)),
      start_(std::chrono::steady_clock::now()) {
  if (writer_)
    startUs_ = writer_->nowUs();
}

TraceSpan::~TraceSpan() {
  try {
    end();
  } catch (...) {
  }
}

void TraceSpan::arg(const std::string &key, json value) {
  if (!args_.is_object())
    args_ = json::object();
  args_[key] = std::move(value);
}

double TraceSpan::end() {
  if (ended_)
    return seconds_;
  ended_ = true;
  seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  if (writer_)
    writer_->complete(name_, category_, startUs_, seconds_ * 1e6,
                      std::move(args_), stage_);
  return seconds_;
}

} // namespace rlg::runtime
