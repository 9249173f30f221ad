// The local launcher with shell commands as ranks: the environment of each
// rank, the prefixed output, a failing rank stopping the others, the grace
// period, signals passed on, and the errors before anything starts.
#include "rlg/Runtime/Distributed/Launcher.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace rlg::runtime;

namespace {

/// A temporary folder with the launcher's stdout and stderr as files.
class LauncherTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rlg-launch-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    outFd = open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    errFd = open((dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(outFd, 0);
    ASSERT_GE(errFd, 0);
  }
  void TearDown() override {
    close(outFd);
    close(errFd);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// Options that run `script` under /bin/sh in `nproc` ranks.
  LaunchOptions shell(const std::string &script, int64_t nproc) {
    LaunchOptions options;
    options.argv = {"/bin/sh", "-c", script};
    options.nproc = nproc;
    options.outFd = outFd;
    options.errFd = errFd;
    options.grace = std::chrono::milliseconds(2000);
    return options;
  }

  /// Launches and measures the seconds it took.
  int launch(const LaunchOptions &options, double &seconds) {
    auto start = std::chrono::steady_clock::now();
    int code = launchProcesses(options);
    seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return code;
  }

  std::string read(const std::string &name) const {
    std::ifstream in(dir / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path dir;
  int outFd = -1, errFd = -1;
};

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST_F(LauncherTest, EachRankGetsItsEnvironmentAndAPrefix) {
  LaunchOptions options =
      shell("echo \"rank $RANK local $LOCAL_RANK of $WORLD_SIZE at "
            "$MASTER_ADDR:$MASTER_PORT\"; printf 'no newline' >&2",
            3);
  options.masterPort = 12345;
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 0);
  std::string out = read("out"), err = read("err");
  for (int rank = 0; rank < 3; ++rank) {
    std::string r = std::to_string(rank);
    EXPECT_TRUE(contains(out, "[rank " + r + "] rank " + r + " local " + r +
                                  " of 3 at 127.0.0.1:12345\n"))
        << out;
    EXPECT_TRUE(contains(err, "[rank " + r + "] no newline\n")) << err;
  }
}

TEST_F(LauncherTest, LinesAreNeverInterleaved) {
  // Two ranks writing many lines at once: every line arrives whole.
  LaunchOptions options =
      shell("i=0; while [ $i -lt 2000 ]; do echo \"line $i of rank $RANK "
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; i=$((i+1)); done",
            2);
  double seconds = 0;
  ASSERT_EQ(launch(options, seconds), 0);
  std::istringstream lines(read("out"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    ASSERT_TRUE(line.rfind("[rank ", 0) == 0) << line;
    char rank = line[6];
    std::string tail = " of rank " + std::string(1, rank) +
                       " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    ASSERT_TRUE(line.size() > tail.size() &&
                line.compare(line.size() - tail.size(), tail.size(), tail) == 0)
        << line;
  }
  EXPECT_EQ(count, 4000);
}

TEST_F(LauncherTest, AFailingRankStopsTheOthers) {
  // Rank 1 records its pid and sleeps; rank 0 fails once it has.
  std::string pidFile = (dir / "sleeper.pid").string();
  LaunchOptions options = shell(
      "if [ \"$RANK\" = 0 ]; then while [ ! -s " + pidFile +
          " ]; do sleep 0.05; done; exit 3; fi; echo $$ > " + pidFile +
          ".tmp && mv " + pidFile + ".tmp " + pidFile + "; exec sleep 600",
      2);
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 3);
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(contains(read("err"), "rlg launch: rank 0 exited with code 3; "
                                    "stopping the other ranks\n"))
      << read("err");
  // The sleeper was killed and reaped: no such process any more.
  pid_t sleeper = std::atoi(read("sleeper.pid").c_str());
  ASSERT_GT(sleeper, 0);
  EXPECT_EQ(kill(sleeper, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(LauncherTest, RanksThatIgnoreSigtermAreKilledAfterTheGracePeriod) {
  std::string ready = (dir / "ready").string();
  LaunchOptions options =
      shell("if [ \"$RANK\" = 0 ]; then while [ ! -e " + ready +
                " ]; do sleep 0.05; done; exit 1; fi; trap '' TERM; touch " +
                ready + "; sleep 600",
            2);
  options.grace = std::chrono::milliseconds(500);
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 1);
  EXPECT_GE(seconds, 0.5);
  EXPECT_LT(seconds, 5.0);
  std::string err = read("err");
  EXPECT_TRUE(contains(err, "rank 0 exited with code 1; stopping the other "
                            "ranks"))
      << err;
  EXPECT_TRUE(contains(err, "rank 1 did not stop within 0.5 s; killing it "
                            "(SIGKILL)"))
      << err;
}

TEST_F(LauncherTest, ARankKilledByASignalGives128PlusTheSignal) {
  LaunchOptions options =
      shell("if [ \"$RANK\" = 1 ]; then kill -9 $$; fi; exec sleep 600", 2);
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 128 + 9);
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(contains(read("err"), "rank 1 was killed by signal 9 (SIGKILL); "
                                    "stopping the other ranks"))
      << read("err");
}

TEST_F(LauncherTest, SignalsToTheLauncherArePassedOn) {
  // Rank 0 interrupts the launcher (its parent) once both ranks run.
  std::string ready = (dir / "ready").string();
  LaunchOptions options =
      shell("if [ \"$RANK\" = 0 ]; then while [ ! -e " + ready +
                " ]; do sleep 0.05; done; kill -INT $PPID; fi; touch " + ready +
                "; exec sleep 600",
            2);
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 128 + SIGINT);
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(contains(read("err"), "got SIGINT; passing it on to the ranks"))
      << read("err");
  // The launcher's handlers are gone again.
  struct sigaction current = {};
  sigaction(SIGINT, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

TEST_F(LauncherTest, TheMasterPortComesFromTheEnvironmentOrIsFree) {
  LaunchOptions options = shell("echo \"port $MASTER_PORT\"", 1);
  ::setenv("MASTER_PORT", "23456", 1);
  double seconds = 0;
  EXPECT_EQ(launch(options, seconds), 0);
  ::unsetenv("MASTER_PORT");
  EXPECT_TRUE(contains(read("out"), "[rank 0] port 23456\n")) << read("out");
  int port = findFreePort();
  EXPECT_GT(port, 0);
  EXPECT_LE(port, 65535);
  ::setenv("MASTER_PORT", "http", 1);
  EXPECT_THROW(launchProcesses(options), LaunchError);
  ::unsetenv("MASTER_PORT");
}

TEST_F(LauncherTest, ErrorsBeforeAnythingStarts) {
  LaunchOptions options = shell("exit 0", 0);
  try {
    launchProcesses(options);
    FAIL() << "nproc 0 was accepted";
  } catch (const LaunchError &e) {
    EXPECT_TRUE(contains(e.what(), "cannot launch 0 processes")) << e.what();
    EXPECT_FALSE(e.hint.empty());
  }
  options = shell("exit 0", 1);
  options.argv = {"no-such-command-rlg"};
  EXPECT_THROW(launchProcesses(options), LaunchError);
  options.argv = {};
  EXPECT_THROW(launchProcesses(options), LaunchError);
}

TEST(SignalNameTest, NamesTheCommonSignals) {
  EXPECT_EQ(signalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(signalName(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signalName(1000), "signal 1000");
}

} // namespace
