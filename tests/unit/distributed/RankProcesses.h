// Running N ranks of a worker executable with the torchrun environment, and
// waiting for all of them with a deadline: the multi-process tests' harness.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rlg::runtime::testing {

struct RankProcessOptions {
  /// The worker executable (a path) and its arguments.
  std::string executable;
  std::vector<std::string> arguments;
  /// Ranks to start: 0 .. worldSize - 1.
  int64_t worldSize = 2;
  /// How long all ranks together may take; those still running then are
  /// killed.
  std::chrono::milliseconds timeout{120000};
  /// How long the other ranks may go on once one has failed (they are
  /// likely blocked in a collective with it) before they are killed.
  std::chrono::milliseconds graceAfterFailure{5000};
  /// Variables set for every rank besides RANK, LOCAL_RANK, WORLD_SIZE,
  /// LOCAL_WORLD_SIZE, MASTER_ADDR (127.0.0.1) and MASTER_PORT (a free
  /// port, found anew for each run).
  std::map<std::string, std::string> environment;
  /// Each rank's stdout and stderr go to logDirectory/rank-N.log; empty: a
  /// temporary directory, removed at the end (the logs are in the result).
  std::string logDirectory;
};

struct RankProcessResult {
  /// Per rank: the exit code, or 128 + the signal that killed it.
  std::vector<int> exitCodes;
  /// Whether the deadline passed and ranks were killed.
  bool timedOut = false;
  /// Each rank's output (stdout and stderr interleaved).
  std::vector<std::string> logs;

  bool succeeded() const;
  /// One line per rank (its exit) and the end of each failing rank's log.
  std::string describe() const;
};

/// Starts the ranks with posix_spawn (no fork of the calling process), each
/// in a process group of its own, and waits until all have exited, one has
/// failed and the grace period has passed, or the timeout has passed;
/// ranks still running then get SIGKILL. Never returns with a rank alive.
/// Throws std::runtime_error when a rank cannot be started.
RankProcessResult runRankProcesses(const RankProcessOptions &options);

/// A TCP port on 127.0.0.1 that is free now (bound to port 0 and released).
int findFreeLoopbackPort();

/// A new empty directory under $TMPDIR (or /tmp) whose name starts with
/// `prefix`.
std::string makeTemporaryDirectory(const std::string &prefix);

/// Removes `path` and everything under it; errors are ignored.
void removeDirectoryTree(const std::string &path);

} // namespace rlg::runtime::testing
