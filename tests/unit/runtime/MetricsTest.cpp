// Metrics: names, the JSONL file and its resume truncation, the console
// line, micro-batch reductions, the progress bar, peak memory.
// Algorithms/Metrics.h declares the same MetricMap alias: both may meet.
#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/Metrics/Accumulator.h"
#include "rlg/Runtime/Metrics/Memory.h"
#include "rlg/Runtime/Metrics/MetricNames.h"
#include "rlg/Runtime/Metrics/MetricsLogger.h"
#include "rlg/Runtime/Metrics/ProgressBar.h"
#include "rlg/Runtime/Support/Files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace rlg::runtime;
namespace fs = std::filesystem;

namespace {

class MetricsLoggerTest : public ::testing::Test {
protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("rlg-metrics-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++));
    fs::remove_all(dir_);
    path_ = dir_ / "logs" / "metrics.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<int64_t> steps() {
    std::vector<int64_t> out;
    for (const MetricsRecord &record : readMetricsFile(path_))
      out.push_back(record.step);
    return out;
  }
  void logSteps(int64_t first, int64_t last, int64_t resumedStep) {
    MetricsLogger logger(MetricsLoggerOptions{path_, 10, nullptr}, resumedStep);
    for (int64_t step = first; step <= last; ++step)
      logger.log(step, {{metric::kScoreMean, 0.1 * static_cast<double>(step)}});
  }

  fs::path dir_;
  fs::path path_;
};

} // namespace

TEST(MetricsNamesTest, NamesUsersKnow) {
  EXPECT_STREQ(metric::kScoreMean, "critic/score/mean");
  EXPECT_STREQ(metric::kPgClipfrac, "actor/pg_clipfrac");
  EXPECT_STREQ(metric::kPpoKl, "actor/ppo_kl");
  EXPECT_STREQ(metric::kMaxMemoryAllocatedGb, "perf/max_memory_allocated_gb");
  EXPECT_EQ(metric::timing("generate"), "timing_s/generate");
  EXPECT_EQ(metric::mfu("actor"), "perf/mfu/actor");
  EXPECT_EQ(metric::evalAccuracy("gsm8k"), "eval/gsm8k/accuracy");
  EXPECT_EQ(metric::evalPassAtK("gsm8k", 8), "eval/gsm8k/pass@8");
  EXPECT_EQ(metric::evalRewardMean("gsm8k"), "eval/gsm8k/reward/mean");
}

TEST(MetricsFormatTest, JsonLine) {
  MetricMap metrics = {{"actor/pg_loss", -0.5},
                       {"critic/score/mean", 0.25},
                       {"actor/grad_norm", std::nan("")}};
  EXPECT_EQ(metricsJsonLine(3, metrics),
            "{\"step\":3,\"actor/grad_norm\":null,\"actor/pg_loss\":-0.5,"
            "\"critic/score/mean\":0.25}");
}

TEST(MetricsFormatTest, ConsoleLine) {
  MetricMap metrics = {{metric::kScoreMean, 0.41},
                       {metric::kPgLoss, -0.013},
                       {metric::kPpoKl, 0.002},
                       {metric::kEntropy, 1.23},
                       {metric::kResponseLengthMean, 6.1},
                       {metric::kTimingStep, 1.9},
                       {metric::kPgClipfrac, 0.1}};
  EXPECT_EQ(metricsConsoleLine(12, 200, metrics),
            "step 12/200 | score 0.41 | pg_loss -0.013 | kl 0.002 | "
            "entropy 1.23 | len 6.1 | 1.9 s");
  // A DPO step: no score or pg_loss; an evaluation ran.
  EXPECT_EQ(metricsConsoleLine(3, 0,
                               {{metric::kActorLoss, 0.693},
                                {metric::evalAccuracy("gsm8k"), 0.5},
                                {metric::kTimingStep, 0.25}}),
            "step 3 | loss 0.693 | gsm8k acc 0.5 | 0.25 s");
  // A reward-model step whose optimiser skipped one update.
  EXPECT_EQ(metricsConsoleLine(5, 10,
                               {{"reward/loss", 0.52},
                                {"reward/accuracy", 0.75},
                                {"reward/skipped_updates", 1},
                                {metric::kTimingStep, 0.5}}),
            "step 5/10 | rm_loss 0.52 | rm_acc 0.75 | skipped 1 | 0.5 s");
}

TEST(MetricsFormatTest, Compact) {
  EXPECT_EQ(formatCompact(0.41), "0.41");
  EXPECT_EQ(formatCompact(-0.013), "-0.013");
  EXPECT_EQ(formatCompact(1.23456), "1.23");
  EXPECT_EQ(formatCompact(0), "0");
  EXPECT_EQ(formatCompact(1.23e-5), "1.23e-05");
  EXPECT_EQ(formatCompact(1234.4), "1234");
  EXPECT_EQ(formatCompact(123.45), "123");
  EXPECT_EQ(formatCompact(std::nan("")), "nan");
  EXPECT_EQ(formatCompact(-INFINITY), "-inf");
}

TEST_F(MetricsLoggerTest, AppendsOneLinePerStep) {
  std::ostringstream console;
  {
    MetricsLogger logger(MetricsLoggerOptions{path_, 4, &console});
    logger.log(1, {{metric::kScoreMean, 0.5}, {metric::kTimingStep, 2}});
    logger.log(2, {{metric::kScoreMean, 0.75}});
    // Flushed per line: readable while the logger is open.
    auto records = readMetricsFile(path_);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].step, 1);
    EXPECT_DOUBLE_EQ(records[0].values.at(metric::kScoreMean), 0.5);
    EXPECT_DOUBLE_EQ(records[1].values.at(metric::kScoreMean), 0.75);
  }
  EXPECT_EQ(console.str(), "step 1/4 | score 0.5 | 2 s\n"
                           "step 2/4 | score 0.75\n");
}

TEST_F(MetricsLoggerTest, ResumeDropsLaterSteps) {
  logSteps(1, 5, 0);
  EXPECT_EQ(steps(), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  // The run crashed after step 5 but resumes from the step-3 checkpoint.
  logSteps(4, 6, 3);
  EXPECT_EQ(steps(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  auto records = readMetricsFile(path_);
  EXPECT_DOUBLE_EQ(records[3].values.at(metric::kScoreMean), 0.4);
}

TEST_F(MetricsLoggerTest, ResumeDropsAPartialLine) {
  logSteps(1, 2, 0);
  {
    std::ofstream out(path_, std::ios::app);
    out << "{\"step\": 3, \"critic/sco";
  }
  logSteps(3, 3, 2);
  EXPECT_EQ(steps(), (std::vector<int64_t>{1, 2, 3}));
  std::string text = readFileBytes(path_);
  EXPECT_EQ(text.find("critic/sco\""), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

TEST_F(MetricsLoggerTest, FreshRunStartsAnEmptyFile) {
  logSteps(1, 3, 0);
  logSteps(1, 2, 0);
  EXPECT_EQ(steps(), (std::vector<int64_t>{1, 2}));
  // Truncating to a later step than the file has changes nothing.
  truncateMetricsFile(path_, 100);
  EXPECT_EQ(steps(), (std::vector<int64_t>{1, 2}));
  truncateMetricsFile(dir_ / "missing.jsonl", 1);
  EXPECT_FALSE(fs::exists(dir_ / "missing.jsonl"));
}

TEST_F(MetricsLoggerTest, NoFileNoConsole) {
  MetricsLogger logger(MetricsLoggerOptions{});
  logger.log(1, {{metric::kScoreMean, 1}});
  EXPECT_FALSE(fs::exists(dir_));
}

TEST(MetricsAccumulatorTest, Reductions) {
  MetricAccumulator acc;
  // Two micro-batches of 3 and 1 tokens.
  acc.add(metric::kPgLoss, 1.0, 3);
  acc.add(metric::kPgLoss, 5.0, 1);
  acc.add("response_length/max", 4, 1, Reduce::Max);
  acc.add("response_length/max", 9, 1, Reduce::Max);
  acc.add("tokens", 3, 1, Reduce::Sum);
  acc.add("tokens", 1, 1, Reduce::Sum);
  acc.add(metric::kActorLr, 1e-3, 1, Reduce::Last);
  acc.add(metric::kActorLr, 2e-3, 1, Reduce::Last);
  acc.add("low", 2, 1, Reduce::Min);
  acc.add("low", -1, 1, Reduce::Min);
  MetricMap out = acc.result();
  EXPECT_DOUBLE_EQ(out.at(metric::kPgLoss), 2.0); // (3 * 1 + 5) / 4.
  EXPECT_DOUBLE_EQ(out.at("response_length/max"), 9);
  EXPECT_DOUBLE_EQ(out.at("tokens"), 4);
  EXPECT_DOUBLE_EQ(out.at(metric::kActorLr), 2e-3);
  EXPECT_DOUBLE_EQ(out.at("low"), -1);
  acc.add("nan", 1.0, 1, Reduce::Max);
  acc.add("nan", std::nan(""), 1, Reduce::Max);
  acc.add("nan", 3.0, 1, Reduce::Max);
  EXPECT_TRUE(std::isnan(acc.result().at("nan")));
  acc.clear();
  EXPECT_TRUE(acc.empty());
  acc.add("w", 1.0, 0);
  EXPECT_TRUE(std::isnan(acc.result().at("w")));
}

TEST(MetricsAccumulatorTest, MeanOfMaps) {
  MetricMap mean = meanOf({{{"a", 1}, {"b", 10}}, {{"a", 3}}});
  EXPECT_DOUBLE_EQ(mean.at("a"), 2);
  EXPECT_DOUBLE_EQ(mean.at("b"), 10);
}

namespace {
struct FakeClock {
  double now = 0;
  std::function<double()> fn() {
    return [this] { return now; };
  }
};
} // namespace

TEST(MetricsProgressBarTest, Render) {
  std::ostringstream out;
  ProgressBarOptions options;
  options.label = "gen";
  options.total = 10;
  options.out = &out;
  options.width = 10;
  options.tty = false;
  ProgressBar plain(options);
  EXPECT_EQ(plain.render(5, 2.5), "gen: 5/10 (50%), 2.0/s, ETA 3s");
  EXPECT_EQ(plain.render(10, 65), "gen: 10/10 (100%), 0.2/s, 1m05s");
  options.tty = true;
  ProgressBar tty(options);
  EXPECT_EQ(tty.render(5, 2.5), "gen  5/10 [=====>    ] 2.0/s ETA 3s");
  EXPECT_EQ(tty.render(0, 0), "gen  0/10 [>         ] 0.0/s ETA ?");
  EXPECT_EQ(formatDuration(7), "7s");
  EXPECT_EQ(formatDuration(65), "1m05s");
  EXPECT_EQ(formatDuration(7380), "2h03m");
}

TEST(MetricsProgressBarTest, LogFileGetsFewLines) {
  FakeClock clock;
  std::ostringstream out;
  ProgressBarOptions options;
  options.label = "eval";
  options.total = 1000;
  options.out = &out;
  options.tty = false;
  options.clock = clock.fn();
  {
    // Short work leaves nothing in a log.
    ProgressBar bar(options);
    for (int i = 1; i <= 1000; ++i) {
      clock.now += 0.01;
      bar.update(i);
    }
    bar.finish();
  }
  EXPECT_EQ(out.str(), "");
  clock.now = 0;
  {
    // 100 s of work: a line after 30, 60 and 90 s, then the last one.
    ProgressBar bar(options);
    for (int i = 1; i <= 1000; ++i) {
      clock.now += 0.1;
      bar.update(i);
    }
  }
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("eval: 1000/1000 (100%), 10.0/s, 1m40s\n"),
            std::string::npos)
      << text;
}

TEST(MetricsProgressBarTest, TerminalRedrawsInPlace) {
  FakeClock clock;
  std::ostringstream out;
  ProgressBarOptions options;
  options.label = "gen";
  options.total = 4;
  options.out = &out;
  options.tty = true;
  options.width = 4;
  options.clock = clock.fn();
  {
    ProgressBar bar(options);
    for (int i = 1; i <= 4; ++i) {
      clock.now += 1;
      bar.advance();
    }
    bar.finish();
  }
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 6) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("gen  4/4 [====] 1.0/s 4s"), std::string::npos) << text;
  // The finished bar is cleared unless kept.
  EXPECT_EQ(text.back(), '\r');
  out.str("");
  options.keep = true;
  {
    ProgressBar bar(options);
    bar.update(4);
  }
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(MetricsMemoryTest, PeakResidentMemory) {
  std::optional<double> gb = peakResidentMemoryGb();
  ASSERT_TRUE(gb);
  EXPECT_GT(*gb, 0.0);
  EXPECT_LT(*gb, 1024.0);
}
