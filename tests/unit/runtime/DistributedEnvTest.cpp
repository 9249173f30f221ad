// The environment contract of a distributed run: the torchrun variables,
// Open MPI's and Slurm's in their place, and the errors for missing or
// malformed ones.
#include "rlg/Runtime/Distributed/ProcessGroups.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

using namespace rlg::runtime;

namespace {

const char *const kVariables[] = {
    "WORLD_SIZE",           "RANK",
    "LOCAL_RANK",           "MASTER_ADDR",
    "MASTER_PORT",          "OMPI_COMM_WORLD_SIZE",
    "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_LOCAL_RANK",
    "SLURM_STEP_NUM_TASKS", "SLURM_PROCID",
    "SLURM_LOCALID",        "SLURM_NTASKS"};

/// Clears the variables above for a test and restores them after it.
class DistributedEnvTest : public ::testing::Test {
protected:
  void SetUp() override {
    for (const char *name : kVariables) {
      if (const char *value = std::getenv(name))
        saved[name] = value;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char *name : kVariables) {
      ::unsetenv(name);
      if (auto it = saved.find(name); it != saved.end())
        ::setenv(name, it->second.c_str(), 1);
    }
  }
  void set(std::map<std::string, std::string> values) {
    for (const auto &[name, value] : values)
      ::setenv(name.c_str(), value.c_str(), 1);
  }
  /// The message fromEnvironment() throws, or nullopt when it does not.
  std::optional<std::string> error() {
    try {
      DistributedEnv::fromEnvironment();
    } catch (const RunError &e) {
      return std::string(e.what());
    }
    return std::nullopt;
  }
  std::map<std::string, std::string> saved;
};

TEST_F(DistributedEnvTest, NoVariablesIsOneProcess) {
  DistributedEnv env = DistributedEnv::fromEnvironment();
  EXPECT_FALSE(env.distributed());
  EXPECT_EQ(env.worldSize, 1);
  // A Slurm batch script has SLURM_NTASKS without being a rank.
  set({{"SLURM_NTASKS", "8"}, {"SLURM_PROCID", "0"}});
  EXPECT_FALSE(DistributedEnv::fromEnvironment().distributed());
}

TEST_F(DistributedEnvTest, ReadsTheTorchrunVariables) {
  set({{"WORLD_SIZE", "4"},
       {"RANK", "3"},
       {"LOCAL_RANK", "1"},
       {"MASTER_ADDR", "node0"},
       {"MASTER_PORT", "29500"}});
  DistributedEnv env = DistributedEnv::fromEnvironment();
  EXPECT_TRUE(env.distributed());
  EXPECT_EQ(env.worldSize, 4);
  EXPECT_EQ(env.rank, 3);
  EXPECT_EQ(env.localRank, 1);
  EXPECT_EQ(env.masterAddr, "node0");
  EXPECT_EQ(env.masterPort, 29500);
}

TEST_F(DistributedEnvTest, FallsBackToOpenMpiAndSlurm) {
  set({{"MASTER_ADDR", "node0"}, {"MASTER_PORT", "29500"}});
  set({{"SLURM_STEP_NUM_TASKS", "16"},
       {"SLURM_PROCID", "9"},
       {"SLURM_LOCALID", "1"}});
  DistributedEnv slurm = DistributedEnv::fromEnvironment();
  EXPECT_EQ(slurm.worldSize, 16);
  EXPECT_EQ(slurm.rank, 9);
  EXPECT_EQ(slurm.localRank, 1);
  // Open MPI's come before Slurm's, and torchrun's before both.
  set({{"OMPI_COMM_WORLD_SIZE", "8"},
       {"OMPI_COMM_WORLD_RANK", "5"},
       {"OMPI_COMM_WORLD_LOCAL_RANK", "5"}});
  DistributedEnv mpi = DistributedEnv::fromEnvironment();
  EXPECT_EQ(mpi.worldSize, 8);
  EXPECT_EQ(mpi.rank, 5);
  EXPECT_EQ(mpi.localRank, 5);
  set({{"WORLD_SIZE", "2"}, {"RANK", "1"}});
  DistributedEnv torchrun = DistributedEnv::fromEnvironment();
  EXPECT_EQ(torchrun.worldSize, 2);
  EXPECT_EQ(torchrun.rank, 1);
  EXPECT_EQ(torchrun.localRank, 1); // LOCAL_RANK defaults to RANK
}

TEST_F(DistributedEnvTest, NamesWhatIsMissingOrMalformed) {
  set({{"WORLD_SIZE", "2"}, {"MASTER_ADDR", "node0"}, {"MASTER_PORT", "1"}});
  EXPECT_EQ(error(), "the environment variable RANK is not set, but "
                     "WORLD_SIZE is");
  set({{"RANK", "2"}});
  EXPECT_EQ(error(), "RANK='2' is not an integer in [0, 1]");
  set({{"RANK", "1"}, {"MASTER_PORT", "http"}});
  EXPECT_EQ(error(), "MASTER_PORT='http' is not an integer in [1, 65535]");
  ::unsetenv("WORLD_SIZE");
  ::unsetenv("RANK");
  ::unsetenv("MASTER_ADDR");
  set({{"OMPI_COMM_WORLD_SIZE", "2"}, {"OMPI_COMM_WORLD_RANK", "0"}});
  EXPECT_EQ(error(), "the environment variable MASTER_ADDR is not set, but "
                     "OMPI_COMM_WORLD_SIZE is");
}

} // namespace
