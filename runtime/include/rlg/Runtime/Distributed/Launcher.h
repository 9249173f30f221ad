// The local launcher: N processes of one command on this machine, each with
// the torchrun environment of its rank, their output prefixed per rank, and
// all of them stopped when one fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace rlg::runtime {

/// A launch that cannot start (a bad option, a command that is not found,
/// a malformed MASTER_PORT, no pipes or processes left), with a hint.
class LaunchError : public std::runtime_error {
public:
  LaunchError(const std::string &message, std::string hint)
      : std::runtime_error(message), hint(std::move(hint)) {}
  std::string hint;
};

struct LaunchOptions {
  /// The command each rank runs: a path, or a name looked up in PATH, then
  /// its arguments.
  std::vector<std::string> argv;
  /// Processes to start, ranks 0 to nproc - 1 (>= 1).
  int64_t nproc = 1;
  /// MASTER_ADDR of every rank.
  std::string masterAddr = "127.0.0.1";
  /// MASTER_PORT of every rank; 0 takes the launcher's own MASTER_PORT
  /// when it has one, else a port that is free on this machine now.
  int masterPort = 0;
  /// How long the other ranks get between SIGTERM and SIGKILL once one
  /// rank has failed (or the launcher was interrupted).
  std::chrono::milliseconds grace{10000};
  /// Where the ranks' prefixed lines and the launcher's messages go.
  int outFd = STDOUT_FILENO;
  int errFd = STDERR_FILENO;
  /// How the launcher names itself in its messages.
  std::string name = "rlg launch";
};

/// Starts `options.nproc` copies of `options.argv`, rank i with RANK=i,
/// LOCAL_RANK=i, WORLD_SIZE=LOCAL_WORLD_SIZE=nproc, MASTER_ADDR and
/// MASTER_PORT over the launcher's environment, stdin from /dev/null, each
/// in a process group of its own that dies with the launcher (Linux).
/// Every line a rank writes to stdout or stderr is written whole to
/// outFd/errFd as `[rank i] LINE` (a last line without a newline is ended
/// at exit). When a rank exits non-zero or is killed by a signal, one line
/// says so, the others get SIGTERM and, after the grace period, SIGKILL.
/// SIGINT, SIGTERM and SIGHUP to the launcher are passed on to the ranks
/// the same way (a second one kills them at once). Returns when every rank
/// has been reaped: 0 when all exited with 0, else the first failing
/// rank's exit code (128 + the signal when a signal killed it), or
/// 128 + the signal that interrupted the launcher. Throws LaunchError
/// before starting anything when it cannot start; one launch at a time per
/// process.
int launchProcesses(const LaunchOptions &options);

/// "SIGKILL" for 9, "signal N" for a number without a name here.
std::string signalName(int signal);

/// A TCP port that is free on this machine now (bound to port 0, then
/// released); throws LaunchError when none can be bound.
int findFreePort();

} // namespace rlg::runtime
