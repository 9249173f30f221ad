// The Chrome/Perfetto trace: events, metadata, the recording writer.
#include "rlg/Runtime/Metrics/Trace.h"

#include "rlg/Runtime/Support/Files.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <unistd.h>

using namespace rlg::runtime;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path tempDir() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() /
                 ("rlg-trace-test-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter++));
  fs::remove_all(dir);
  return dir;
}

/// The tid of the thread_name event naming `track` for `pid`, or -1.
int64_t trackTid(const json &trace, int64_t pid, const std::string &track) {
  for (const json &event : trace["traceEvents"])
    if (event["ph"] == "M" && event["name"] == "thread_name" &&
        event["pid"] == pid && event["args"]["name"] == track)
      return event["tid"].get<int64_t>();
  return -1;
}

} // namespace

TEST(TraceTest, WrittenFileParsesWithMetadata) {
  fs::path dir = tempDir();
  TraceWriter trace(/*rank=*/1);
  double generateSeconds = 0;
  {
    TraceSpan step(trace, "step 1", "", {{"step", 1}}, "step");
    {
      TraceSpan generate(trace, "generate", "actor", {{"prompts", 4}});
      generate.arg("tokens", 96);
      generateSeconds = generate.end();
    }
    TraceSpan score(trace, "score", "reward");
    for (int i = 0; i < 2; ++i)
      TraceSpan micro(trace, "micro-batch " + std::to_string(i), "actor", {},
                      "train_actor");
  }
  trace.instant("checkpoint", "io");
  fs::path path = dir / "trace.json";
  trace.write(path);

  std::ifstream in(path);
  json file = json::parse(in);
  EXPECT_EQ(file["displayTimeUnit"], "ms");
  ASSERT_TRUE(file["traceEvents"].is_array());

  bool processNamed = false;
  for (const json &event : file["traceEvents"])
    if (event["ph"] == "M" && event["name"] == "process_name")
      processNamed = event["pid"] == 1 && event["args"]["name"] == "rank 1";
  EXPECT_TRUE(processNamed);
  std::map<std::string, int64_t> tids;
  for (const char *track :
       {"step", "generate", "score", "train_actor", "checkpoint"}) {
    tids[track] = trackTid(file, 1, track);
    EXPECT_GT(tids[track], 0) << track;
  }
  EXPECT_EQ(std::set<int64_t>({tids["step"], tids["generate"], tids["score"],
                               tids["train_actor"], tids["checkpoint"]})
                .size(),
            5u);

  int complete = 0;
  for (const json &event : file["traceEvents"]) {
    if (event["ph"] != "X")
      continue;
    ++complete;
    EXPECT_EQ(event["pid"], 1);
    EXPECT_GE(event["ts"].get<double>(), 0);
    EXPECT_GE(event["dur"].get<double>(), 0);
    std::string name = event["name"];
    if (name == "generate") {
      EXPECT_EQ(event["tid"], tids["generate"]);
      EXPECT_EQ(event["cat"], "actor");
      EXPECT_EQ(event["args"]["prompts"], 4);
      EXPECT_EQ(event["args"]["tokens"], 96);
      EXPECT_NEAR(event["dur"].get<double>(), generateSeconds * 1e6, 1e-3);
    } else if (name.rfind("micro-batch", 0) == 0) {
      EXPECT_EQ(event["tid"], tids["train_actor"]);
    } else if (name == "step 1") {
      EXPECT_EQ(event["tid"], tids["step"]);
      EXPECT_EQ(event["args"]["step"], 1);
    }
  }
  EXPECT_EQ(complete, 5);
  // Written atomically: no temporary left beside it.
  int entries = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
  fs::remove_all(dir);
}

TEST(TraceTest, PlainEventsRoundTrip) {
  // A predicted timeline: plain events, no writer.
  std::vector<TraceEvent> events = {
      processNameEvent(0, "predicted rank 0"),
      threadNameEvent(0, 1, "generate"),
      threadSortEvent(0, 1, 1),
      {"generate", "actor", 'X', 0, 1500.5, 0, 1, {{"tokens", 128}}},
      {"train_actor", "", 'X', 1500.5, 800, 0, 2, json::object()},
  };
  json trace = traceToJson(events);
  EXPECT_EQ(trace["displayTimeUnit"], "ms");
  EXPECT_FALSE(trace["traceEvents"][0].contains("ts"));
  EXPECT_FALSE(trace["traceEvents"][4].contains("cat"));
  EXPECT_FALSE(trace["traceEvents"][4].contains("args"));
  std::vector<TraceEvent> back = traceFromJson(json::parse(trace.dump()));
  ASSERT_EQ(back.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(back[i].name, events[i].name);
    EXPECT_EQ(back[i].category, events[i].category);
    EXPECT_EQ(back[i].phase, events[i].phase);
    EXPECT_DOUBLE_EQ(back[i].tsUs, events[i].tsUs);
    EXPECT_DOUBLE_EQ(back[i].durUs, events[i].durUs);
    EXPECT_EQ(back[i].pid, events[i].pid);
    EXPECT_EQ(back[i].tid, events[i].tid);
    EXPECT_EQ(back[i].args, events[i].args);
  }
  // The bare-array form Chrome also reads.
  EXPECT_EQ(traceFromJson(trace["traceEvents"]).size(), events.size());
  EXPECT_THROW(traceFromJson(json::object()), std::invalid_argument);
  EXPECT_THROW(traceFromJson(json::parse(R"([{"ph": "XX"}])")),
               std::invalid_argument);
  EXPECT_THROW(traceFromJson(json::parse(R"([{"ts": "soon"}])")),
               std::invalid_argument);
}

TEST(TraceTest, NullWriterMeasuresOnly) {
  TraceSpan span(nullptr, "generate");
  double seconds = span.end();
  EXPECT_GE(seconds, 0);
  EXPECT_EQ(span.end(), seconds);
}

TEST(TraceTest, ThreadsShareAWriter) {
  TraceWriter trace;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&trace, t] {
      for (int i = 0; i < 100; ++i)
        TraceSpan span(trace, "stage " + std::to_string(t % 2));
    });
  for (std::thread &thread : threads)
    thread.join();
  int complete = 0, names = 0;
  for (const TraceEvent &event : trace.events()) {
    complete += event.phase == 'X';
    names += event.phase == 'M' && event.name == "thread_name";
  }
  EXPECT_EQ(complete, 400);
  EXPECT_EQ(names, 2);
}

TEST(TraceTest, SharedOriginLinesUpRanks) {
  auto nowUs = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  TraceWriter late(/*rank=*/3, "rank 3 (cuda:3)", nowUs - 2'000'000);
  EXPECT_GE(late.nowUs(), 2e6);
  EXPECT_LT(late.nowUs(), 60e6);
  TraceWriter fresh;
  EXPECT_LT(fresh.nowUs(), 60e6);
  auto events = late.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].args["name"], "rank 3 (cuda:3)");
  EXPECT_EQ(events[0].pid, 3);
}
