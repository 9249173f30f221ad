// Starts the ranks of a local run, streams their output line by line with a
// rank prefix, and stops them all when one fails or the launcher is
// interrupted.
#include "rlg/Runtime/Distributed/Launcher.h"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

namespace rlg::runtime {

namespace {

using Clock = std::chrono::steady_clock;

/// The variables the launcher sets for each rank (any the launcher's own
/// environment holds are replaced).
const char *const kRankVariables[] = {"RANK",        "LOCAL_RANK",
                                      "WORLD_SIZE",  "LOCAL_WORLD_SIZE",
                                      "MASTER_ADDR", "MASTER_PORT"};

/// Signals the launcher passes on to the ranks.
const int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};

/// The longest stretch of a rank's output kept without a newline; a longer
/// one is written as a line of its own.
constexpr size_t kMaxLine = 64 * 1024;

/// How long the pipes may stay open once every rank has exited (a process
/// the rank started and left behind may hold them).
constexpr std::chrono::milliseconds kDrain{1000};

// The self-pipe the signal handler writes the signal numbers to.
std::atomic<bool> launching{false};
volatile sig_atomic_t signalPipe = -1;

extern "C" void onSignal(int signal) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signal);
  if (signalPipe >= 0)
    (void)!write(signalPipe, &byte, 1);
  errno = saved;
}

/// Writes all of `text`, retrying after interruptions; output that cannot
/// be written (a closed pipe) is dropped.
void writeAll(int fd, const std::string &text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<size_t>(n);
  }
}

void setFlags(int fd, bool nonBlocking) {
  fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  if (nonBlocking)
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::string errnoText() { return std::strerror(errno); }

/// `name` as an executable path: itself when it holds a '/', else the first
/// executable file of that name in PATH; "" when there is none.
std::string resolveCommand(const std::string &name) {
  auto executable = [](const std::string &path) {
    struct stat info;
    return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos)
    return executable(name) ? name : "";
  const char *path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos)
      end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable(candidate))
      return candidate;
    start = end + 1;
  }
  return "";
}

/// MASTER_PORT for the ranks: the option, else the launcher's MASTER_PORT,
/// else a free port.
int chooseMasterPort(const LaunchOptions &options) {
  if (options.masterPort != 0) {
    if (options.masterPort < 1 || options.masterPort > 65535)
      throw LaunchError("the master port " +
                            std::to_string(options.masterPort) +
                            " is not in [1, 65535]",
                        "give a free TCP port, or none to pick one");
    return options.masterPort;
  }
  const char *text = std::getenv("MASTER_PORT");
  if (!text || !*text)
    return findFreePort();
  char *end = nullptr;
  errno = 0;
  long value = std::strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < 1 || value > 65535)
    throw LaunchError(std::string("MASTER_PORT='") + text +
                          "' is not a port in [1, 65535]",
                      "unset MASTER_PORT to pick a free port, or set it to "
                      "a free TCP port");
  return static_cast<int>(value);
}

/// The launcher's environment without the rank variables.
std::vector<std::string> baseEnvironment() {
  std::vector<std::string> env;
  for (char **entry = environ; entry && *entry; ++entry) {
    std::string text = *entry;
    bool replaced = false;
    for (const char *name : kRankVariables) {
      size_t length = std::strlen(name);
      if (text.compare(0, length, name) == 0 && text.size() > length &&
          text[length] == '=')
        replaced = true;
    }
    if (!replaced)
      env.push_back(std::move(text));
  }
  return env;
}

/// One of a rank's output pipes and what it has written since its last
/// newline.
struct Stream {
  int fd = -1;
  int target = STDOUT_FILENO;
  std::string pending;
};

struct Rank {
  int64_t index = 0;
  pid_t pid = -1;
  bool running = false;
  Stream out, err;
};

class Launch {
public:
  explicit Launch(const LaunchOptions &options) : options(options) {}
  ~Launch() { cleanUp(); }

  int run();

private:
  void installSignals();
  void restoreSignals();
  void start(const std::string &path, int port);
  void startRank(Rank &rank, const std::vector<char *> &argv,
                 std::vector<std::string> env);
  void loop();
  void readStream(Rank &rank, Stream &stream);
  void emit(const Rank &rank, Stream &stream, bool all);
  void closeStream(Rank &rank, Stream &stream);
  void reap();
  void onRankExit(Rank &rank, int status);
  void onLauncherSignal(int signal);
  void signalRunning(int signal);
  void killRemaining();
  void message(const std::string &text) {
    writeAll(options.errFd, options.name + ": " + text + "\n");
  }
  void cleanUp();

  const LaunchOptions &options;
  std::vector<Rank> ranks;
  int signalRead = -1, signalWrite = -1, devNull = -1;
  struct sigaction oldActions[3] = {};
  struct sigaction oldPipe = {};
  bool signalsInstalled = false;

  bool stopping = false, killed = false;
  Clock::time_point killAt, drainUntil;
  bool draining = false;
  std::optional<int> failureCode;
  int interruptedBy = 0;
};

void Launch::installSignals() {
  int fds[2];
  if (pipe(fds) != 0)
    throw LaunchError("cannot create a pipe: " + errnoText(),
                      "the process may be out of file descriptors");
  signalRead = fds[0];
  signalWrite = fds[1];
  setFlags(signalRead, true);
  setFlags(signalWrite, true);
  signalPipe = signalWrite;
  struct sigaction action = {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < 3; ++i)
    sigaction(kForwarded[i], &action, &oldActions[i]);
  // A closed output pipe must not kill the launcher and orphan the ranks.
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &oldPipe);
  signalsInstalled = true;
}

void Launch::restoreSignals() {
  if (!signalsInstalled)
    return;
  for (size_t i = 0; i < 3; ++i)
    sigaction(kForwarded[i], &oldActions[i], nullptr);
  sigaction(SIGPIPE, &oldPipe, nullptr);
  signalPipe = -1;
  signalsInstalled = false;
}

void Launch::cleanUp() {
  // Only after an exception: never leave a started rank behind.
  for (Rank &rank : ranks)
    if (rank.running) {
      kill(-rank.pid, SIGKILL);
      kill(rank.pid, SIGKILL);
      int status = 0;
      while (waitpid(rank.pid, &status, 0) < 0 && errno == EINTR) {
      }
      rank.running = false;
    }
  for (Rank &rank : ranks)
    for (Stream *stream : {&rank.out, &rank.err})
      if (stream->fd >= 0) {
        close(stream->fd);
        stream->fd = -1;
      }
  restoreSignals();
  for (int *fd : {&signalRead, &signalWrite, &devNull})
    if (*fd >= 0) {
      close(*fd);
      *fd = -1;
    }
}

void Launch::startRank(Rank &rank, const std::vector<char *> &argv,
                       std::vector<std::string> env) {
  env.push_back("RANK=" + std::to_string(rank.index));
  env.push_back("LOCAL_RANK=" + std::to_string(rank.index));
  std::vector<char *> envp;
  for (std::string &entry : env)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  int outPipe[2], errPipe[2];
  if (pipe(outPipe) != 0)
    throw LaunchError("cannot create a pipe: " + errnoText(),
                      "the process may be out of file descriptors");
  if (pipe(errPipe) != 0) {
    close(outPipe[0]);
    close(outPipe[1]);
    throw LaunchError("cannot create a pipe: " + errnoText(),
                      "the process may be out of file descriptors");
  }
  for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]})
    setFlags(fd, false);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // The child: only async-signal-safe calls until execve.
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(128 + SIGKILL);
#endif
    dup2(devNull, STDIN_FILENO);
    dup2(outPipe[1], STDOUT_FILENO);
    dup2(errPipe[1], STDERR_FILENO);
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int signal : kForwarded)
      sigaction(signal, &dfl, nullptr);
    sigaction(SIGPIPE, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    const char *what = "cannot start the command\n";
    (void)!write(STDERR_FILENO, what, std::strlen(what));
    _exit(127);
  }
  close(outPipe[1]);
  close(errPipe[1]);
  if (pid < 0) {
    close(outPipe[0]);
    close(errPipe[0]);
    throw LaunchError("cannot start rank " + std::to_string(rank.index) + ": " +
                          errnoText(),
                      "the machine may be out of processes or memory");
  }
  // Also here, so that signalling the group cannot race the child's call.
  setpgid(pid, pid);
  rank.pid = pid;
  rank.running = true;
  rank.out = {outPipe[0], options.outFd, {}};
  rank.err = {errPipe[0], options.errFd, {}};
  setFlags(rank.out.fd, true);
  setFlags(rank.err.fd, true);
}

void Launch::start(const std::string &path, int port) {
  devNull = open("/dev/null", O_RDONLY);
  if (devNull < 0)
    throw LaunchError("cannot open /dev/null: " + errnoText(),
                      "the ranks read their input from /dev/null");
  setFlags(devNull, false);
  std::vector<std::string> args = options.argv;
  args[0] = path;
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = baseEnvironment();
  env.push_back("WORLD_SIZE=" + std::to_string(options.nproc));
  env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(options.nproc));
  env.push_back("MASTER_ADDR=" + options.masterAddr);
  env.push_back("MASTER_PORT=" + std::to_string(port));
  ranks.resize(static_cast<size_t>(options.nproc));
  for (size_t i = 0; i < ranks.size(); ++i) {
    ranks[i].index = static_cast<int64_t>(i);
    startRank(ranks[i], argv, env);
  }
}

void Launch::emit(const Rank &rank, Stream &stream, bool all) {
  std::string prefix = "[rank " + std::to_string(rank.index) + "] ";
  std::string text;
  size_t begin = 0;
  while (true) {
    size_t newline = stream.pending.find('\n', begin);
    if (newline == std::string::npos)
      break;
    text += prefix;
    text.append(stream.pending, begin, newline + 1 - begin);
    begin = newline + 1;
  }
  stream.pending.erase(0, begin);
  if (!stream.pending.empty() && (all || stream.pending.size() >= kMaxLine)) {
    text += prefix + stream.pending + "\n";
    stream.pending.clear();
  }
  if (!text.empty())
    writeAll(stream.target, text);
}

void Launch::closeStream(Rank &rank, Stream &stream) {
  emit(rank, stream, true);
  close(stream.fd);
  stream.fd = -1;
}

void Launch::readStream(Rank &rank, Stream &stream) {
  char buffer[16384];
  while (stream.fd >= 0) {
    ssize_t n = read(stream.fd, buffer, sizeof buffer);
    if (n > 0) {
      stream.pending.append(buffer, static_cast<size_t>(n));
      emit(rank, stream, false);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    closeStream(rank, stream); // end of file, or an error
  }
}

void Launch::signalRunning(int signal) {
  for (Rank &rank : ranks)
    if (rank.running)
      if (kill(-rank.pid, signal) != 0)
        kill(rank.pid, signal);
}

void Launch::onRankExit(Rank &rank, int status) {
  rank.running = false;
  bool failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  if (!failed || stopping)
    return;
  std::string what;
  if (WIFEXITED(status)) {
    failureCode = WEXITSTATUS(status);
    what = "exited with code " + std::to_string(WEXITSTATUS(status));
  } else {
    int signal = WTERMSIG(status);
    failureCode = 128 + signal;
    what = "was killed by signal " + std::to_string(signal) + " (" +
           signalName(signal) + ")";
  }
  bool others = false;
  for (const Rank &other : ranks)
    others = others || other.running;
  message("rank " + std::to_string(rank.index) + " " + what +
          (others ? "; stopping the other ranks" : ""));
  stopping = true;
  killAt = Clock::now() + options.grace;
  // What the failed rank left in its group goes too.
  kill(-rank.pid, SIGTERM);
  signalRunning(SIGTERM);
}

void Launch::onLauncherSignal(int signal) {
  if (stopping && interruptedBy != 0) {
    // A second interruption: no more waiting.
    if (!killed)
      message("got " + signalName(signal) + " again; killing the ranks");
    killRemaining();
    return;
  }
  if (interruptedBy == 0)
    interruptedBy = signal;
  if (stopping) {
    killRemaining();
    return;
  }
  message("got " + signalName(signal) + "; passing it on to the ranks");
  stopping = true;
  killAt = Clock::now() + options.grace;
  signalRunning(signal);
}

void Launch::killRemaining() {
  if (killed)
    return;
  killed = true;
  signalRunning(SIGKILL);
}

void Launch::reap() {
  for (Rank &rank : ranks) {
    if (!rank.running)
      continue;
    int status = 0;
    pid_t done = waitpid(rank.pid, &status, WNOHANG);
    if (done == rank.pid)
      onRankExit(rank, status);
    else if (done < 0 && errno == ECHILD)
      rank.running = false; // reaped elsewhere; nothing to wait for
  }
}

void Launch::loop() {
  while (true) {
    reap();
    bool anyRunning = false, anyOpen = false;
    for (const Rank &rank : ranks) {
      anyRunning = anyRunning || rank.running;
      anyOpen = anyOpen || rank.out.fd >= 0 || rank.err.fd >= 0;
    }
    Clock::time_point now = Clock::now();
    if (!anyRunning) {
      if (!anyOpen)
        return;
      if (!draining) {
        draining = true;
        drainUntil = now + kDrain;
      } else if (now >= drainUntil) {
        for (Rank &rank : ranks)
          for (Stream *stream : {&rank.out, &rank.err})
            if (stream->fd >= 0)
              closeStream(rank, *stream);
        return;
      }
    }
    if (stopping && !killed && anyRunning && now >= killAt) {
      std::string list;
      int count = 0;
      for (const Rank &rank : ranks)
        if (rank.running) {
          list += (list.empty() ? "" : ", ") + std::to_string(rank.index);
          ++count;
        }
      double seconds = std::chrono::duration<double>(options.grace).count();
      char grace[32];
      std::snprintf(grace, sizeof grace, "%g", seconds);
      message((count == 1 ? "rank " : "ranks ") + list +
              " did not stop within " + grace + " s; killing " +
              (count == 1 ? "it" : "them") + " (SIGKILL)");
      killRemaining();
    }

    // Wait for output, a signal, or the next check of the ranks.
    std::vector<pollfd> fds;
    std::vector<std::pair<Rank *, Stream *>> owners;
    fds.push_back({signalRead, POLLIN, 0});
    owners.push_back({nullptr, nullptr});
    for (Rank &rank : ranks)
      for (Stream *stream : {&rank.out, &rank.err})
        if (stream->fd >= 0) {
          fds.push_back({stream->fd, POLLIN, 0});
          owners.push_back({&rank, stream});
        }
    int timeout = 100;
    if (stopping && !killed && anyRunning) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(killAt - now)
              .count();
      timeout = static_cast<int>(
          std::max<int64_t>(0, std::min<int64_t>(timeout, left + 1)));
    }
    int ready = poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR)
      throw LaunchError("cannot wait for the ranks: " + errnoText(),
                        "poll() failed");
    unsigned char signals[16];
    ssize_t n;
    while ((n = read(signalRead, signals, sizeof signals)) > 0)
      for (ssize_t i = 0; i < n; ++i)
        onLauncherSignal(signals[i]);
    if (ready <= 0)
      continue;
    for (size_t i = 1; i < fds.size(); ++i)
      if (fds[i].revents != 0)
        readStream(*owners[i].first, *owners[i].second);
  }
}

int Launch::run() {
  if (options.argv.empty() || options.argv[0].empty())
    throw LaunchError("no command to launch",
                      "give the command each rank runs");
  if (options.nproc < 1)
    throw LaunchError("cannot launch " + std::to_string(options.nproc) +
                          " processes",
                      "give --nproc N with N >= 1, one process per device "
                      "of the schedule");
  if (options.grace.count() < 0)
    throw LaunchError("the grace period cannot be negative",
                      "give the seconds the ranks get between SIGTERM and "
                      "SIGKILL, e.g. 10");
  std::string path = resolveCommand(options.argv[0]);
  if (path.empty())
    throw LaunchError("cannot find the command '" + options.argv[0] + "'",
                      options.argv[0].find('/') == std::string::npos
                          ? "it is not an executable file in PATH"
                          : "it is not an executable file");
  int port = chooseMasterPort(options);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  installSignals();
  start(path, port);
  loop();
  restoreSignals();
  if (failureCode)
    return *failureCode;
  if (interruptedBy != 0)
    return 128 + interruptedBy;
  return 0;
}

} // namespace

std::string signalName(int signal) {
  static const std::pair<int, const char *> names[] = {
      {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"},
      {SIGILL, "SIGILL"},   {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
      {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"},
      {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
      {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
      {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"}};
  for (const auto &[number, name] : names)
    if (number == signal)
      return name;
  return "signal " + std::to_string(signal);
}

int findFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    throw LaunchError("cannot open a socket to find a free port: " +
                          errnoText(),
                      "give the port with --master-port P");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  bool ok =
      bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
  std::string why = ok ? "" : errnoText();
  close(fd);
  if (!ok)
    throw LaunchError("cannot find a free port: " + why,
                      "give the port with --master-port P");
  return ntohs(address.sin_port);
}

int launchProcesses(const LaunchOptions &options) {
  bool expected = false;
  if (!launching.compare_exchange_strong(expected, true))
    throw LaunchError("another launch is running in this process",
                      "launch one set of ranks at a time");
  struct Done {
    ~Done() { launching = false; }
  } done;
  Launch launch(options);
  return launch.run();
}

} // namespace rlg::runtime
