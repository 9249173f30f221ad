// Running N ranks of a worker executable with the torchrun environment, and
// waiting for all of them with a deadline: the multi-process tests' harness.
#include "RankProcesses.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace rlg::runtime::testing {
namespace {

using Clock = std::chrono::steady_clock;

/// The calling process's environment with `overrides` replacing or adding
/// variables, as "NAME=value" strings.
std::vector<std::string>
environmentWith(const std::map<std::string, std::string> &overrides) {
  std::vector<std::string> entries;
  for (char **entry = environ; entry && *entry; ++entry) {
    std::string text = *entry;
    std::string name = text.substr(0, text.find('='));
    if (!overrides.count(name))
      entries.push_back(text);
  }
  for (const auto &[name, value] : overrides)
    entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char *> pointersTo(std::vector<std::string> &strings) {
  std::vector<char *> pointers;
  for (std::string &s : strings)
    pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

/// Starts one rank; returns its pid.
pid_t spawnRank(const RankProcessOptions &options,
                const std::map<std::string, std::string> &environment,
                const std::string &logPath) {
  std::vector<std::string> argv{options.executable};
  argv.insert(argv.end(), options.arguments.begin(), options.arguments.end());
  std::vector<std::string> envp = environmentWith(environment);
  std::vector<char *> argvPointers = pointersTo(argv);
  std::vector<char *> envpPointers = pointersTo(envp);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY,
                                   0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, logPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t noSignals;
  sigemptyset(&noSignals);
  posix_spawnattr_setsigmask(&attributes, &noSignals);
  posix_spawnattr_setpgroup(&attributes, 0); // a process group of its own
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  int error = posix_spawn(&pid, options.executable.c_str(), &files, &attributes,
                          argvPointers.data(), envpPointers.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (error != 0)
    throw std::runtime_error("cannot start " + options.executable + ": " +
                             std::strerror(error));
  return pid;
}

int exitCodeOf(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 255;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

bool RankProcessResult::succeeded() const {
  if (timedOut || exitCodes.empty())
    return false;
  for (int code : exitCodes)
    if (code != 0)
      return false;
  return true;
}

std::string RankProcessResult::describe() const {
  std::ostringstream out;
  if (timedOut)
    out << "the deadline passed; ranks still running were killed\n";
  for (size_t rank = 0; rank < exitCodes.size(); ++rank) {
    int code = exitCodes[rank];
    out << "rank " << rank << ": ";
    if (code > 128)
      out << "killed by signal " << code - 128 << "\n";
    else
      out << "exit " << code << "\n";
  }
  for (size_t rank = 0; rank < exitCodes.size(); ++rank) {
    if (exitCodes[rank] == 0 || rank >= logs.size())
      continue;
    const std::string &log = logs[rank];
    size_t keep = 3000;
    out << "---- rank " << rank << " output"
        << (log.size() > keep ? " (last 3000 characters)" : "") << " ----\n"
        << (log.size() > keep ? log.substr(log.size() - keep) : log) << "\n";
  }
  return out.str();
}

RankProcessResult runRankProcesses(const RankProcessOptions &options) {
  if (options.worldSize < 1)
    throw std::invalid_argument("runRankProcesses: worldSize must be >= 1");
  std::string logDirectory = options.logDirectory.empty()
                                 ? makeTemporaryDirectory("rlg-ranks-")
                                 : options.logDirectory;
  std::map<std::string, std::string> environment = options.environment;
  environment["WORLD_SIZE"] = std::to_string(options.worldSize);
  environment["LOCAL_WORLD_SIZE"] = std::to_string(options.worldSize);
  environment["MASTER_ADDR"] = "127.0.0.1";
  environment["MASTER_PORT"] = std::to_string(findFreeLoopbackPort());

  RankProcessResult result;
  std::vector<pid_t> pids;
  std::vector<std::string> logPaths;
  std::vector<bool> running;
  auto killAll = [&]() {
    for (size_t i = 0; i < pids.size(); ++i)
      if (running[i])
        kill(-pids[i], SIGKILL); // the rank's own process group
  };
  try {
    for (int64_t rank = 0; rank < options.worldSize; ++rank) {
      environment["RANK"] = std::to_string(rank);
      environment["LOCAL_RANK"] = std::to_string(rank);
      logPaths.push_back(logDirectory + "/rank-" + std::to_string(rank) +
                         ".log");
      pids.push_back(spawnRank(options, environment, logPaths.back()));
      running.push_back(true);
    }
  } catch (...) {
    killAll();
    for (size_t i = 0; i < pids.size(); ++i)
      waitpid(pids[i], nullptr, 0);
    throw;
  }

  result.exitCodes.assign(pids.size(), -1);
  Clock::time_point deadline = Clock::now() + options.timeout;
  size_t remaining = pids.size();
  while (remaining > 0) {
    for (size_t i = 0; i < pids.size(); ++i) {
      if (!running[i])
        continue;
      int status = 0;
      pid_t done = waitpid(pids[i], &status, WNOHANG);
      if (done == pids[i] || (done < 0 && errno != EINTR)) {
        running[i] = false;
        --remaining;
        result.exitCodes[i] = done == pids[i] ? exitCodeOf(status) : 255;
        if (result.exitCodes[i] != 0)
          deadline =
              std::min(deadline, Clock::now() + options.graceAfterFailure);
      }
    }
    if (remaining == 0)
      break;
    if (Clock::now() >= deadline) {
      result.timedOut = true;
      killAll();
      for (size_t i = 0; i < pids.size(); ++i) {
        if (!running[i])
          continue;
        int status = 0;
        waitpid(pids[i], &status, 0);
        result.exitCodes[i] = exitCodeOf(status);
        running[i] = false;
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (const std::string &path : logPaths)
    result.logs.push_back(readFile(path));
  if (options.logDirectory.empty()) // the logs are in the result
    removeDirectoryTree(logDirectory);
  return result;
}

int findFreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    throw std::runtime_error(std::string("findFreeLoopbackPort: socket: ") +
                             std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
    int error = errno;
    close(fd);
    throw std::runtime_error(std::string("findFreeLoopbackPort: ") +
                             std::strerror(error));
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string makeTemporaryDirectory(const std::string &prefix) {
  const char *base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data()))
    throw std::runtime_error("cannot create a directory like " + pattern +
                             ": " + std::strerror(errno));
  return buffer.data();
}

void removeDirectoryTree(const std::string &path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

} // namespace rlg::runtime::testing
