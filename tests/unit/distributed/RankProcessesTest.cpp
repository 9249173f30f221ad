// The multi-process harness: each rank's environment, exit codes, and a
// deadline that kills ranks which do not finish.
#include "RankProcesses.h"

#include <gtest/gtest.h>

using namespace rlg::runtime::testing;

TEST(RankProcessesTest, EachRankGetsItsEnvironmentAndExitCode) {
  RankProcessOptions options;
  options.executable = "/bin/sh";
  // Rank r exits with r when its environment is complete, else with 9.
  options.arguments = {
      "-c", "test \"$WORLD_SIZE\" = 3 && test \"$LOCAL_RANK\" = \"$RANK\" && "
            "test \"$MASTER_ADDR\" = 127.0.0.1 && test -n \"$MASTER_PORT\" && "
            "test \"$EXTRA\" = yes && echo \"rank $RANK\" && exit \"$RANK\"; "
            "exit 9"};
  options.worldSize = 3;
  options.environment["EXTRA"] = "yes";
  RankProcessResult result = runRankProcesses(options);
  ASSERT_EQ(result.exitCodes, (std::vector<int>{0, 1, 2})) << result.describe();
  EXPECT_FALSE(result.timedOut);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.logs[2], "rank 2\n");
  EXPECT_NE(result.describe().find("rank 1: exit 1"), std::string::npos);
}

TEST(RankProcessesTest, KillsRanksPastTheDeadline) {
  RankProcessOptions options;
  options.executable = "/bin/sleep";
  options.arguments = {"30"};
  options.worldSize = 2;
  options.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  RankProcessResult result = runRankProcesses(options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(result.timedOut);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.exitCodes, (std::vector<int>{128 + 9, 128 + 9}));
}

TEST(RankProcessesTest, StopsTheOthersSoonAfterOneFails) {
  RankProcessOptions options;
  options.executable = "/bin/sh";
  // Rank 0 fails at once; rank 1 would wait (as in a collective) for 30 s.
  options.arguments = {"-c", "test \"$RANK\" = 0 && exit 3; sleep 30"};
  options.worldSize = 2;
  options.graceAfterFailure = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  RankProcessResult result = runRankProcesses(options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(result.exitCodes[0], 3);
  EXPECT_EQ(result.exitCodes[1], 128 + 9);
}

TEST(RankProcessesTest, MissingExecutableThrows) {
  RankProcessOptions options;
  options.executable = "/nonexistent/rlg-worker";
  EXPECT_THROW(runRankProcesses(options), std::runtime_error);
}

TEST(RankProcessesTest, FreePortsAreUsablePorts) {
  int port = findFreeLoopbackPort();
  EXPECT_GT(port, 0);
  EXPECT_LT(port, 65536);
}
