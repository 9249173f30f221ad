// Durable file writes: write, fsync, rename, fsync the folder.
#include "rlg/Runtime/Support/Files.h"

#include "rlg/Runtime/Support/Encoding.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace rlg::runtime {
namespace fs = std::filesystem;

FileError::FileError(fs::path path, const std::string &message)
    : std::runtime_error(path.string() + ": " + message),
      path_(std::move(path)), message_(message) {}

namespace {

[[noreturn]] void failErrno(const fs::path &path, const std::string &what,
                            int error) {
  throw FileError(path, what + ": " + std::strerror(error));
}

/// Closes the descriptor when it goes out of scope.
class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

private:
  int fd_;
};

void writeAll(int fd, const fs::path &path, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      failErrno(path, "cannot write", errno);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

} // namespace

FileDigest writeFileSynced(
    const fs::path &path,
    const std::function<void(const std::function<void(const void *, size_t)> &)>
        &produce) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    failErrno(path, "cannot create", errno);
  FileDigest digest;
  digest.fnv1a64 = kFnv1a64Basis;
  produce([&](const void *data, size_t size) {
    writeAll(fd.get(), path, data, size);
    digest.bytes += size;
    digest.fnv1a64 = fnv1a64(data, size, digest.fnv1a64);
  });
  if (::fsync(fd.get()) != 0)
    failErrno(path, "cannot fsync", errno);
  if (::close(fd.release()) != 0)
    failErrno(path, "cannot close", errno);
  return digest;
}

FileDigest writeFileSynced(const fs::path &path, std::string_view bytes) {
  return writeFileSynced(
      path, [&](const auto &write) { write(bytes.data(), bytes.size()); });
}

void syncDirectory(const fs::path &dir) {
  fs::path target = dir.empty() ? fs::path(".") : dir;
  Fd fd(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    failErrno(target, "cannot open directory", errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL)
    failErrno(target, "cannot fsync directory", errno);
}

void writeFileAtomic(const fs::path &path, std::string_view bytes) {
  fs::path temp = path;
  temp += ".tmp-" + std::to_string(currentProcessId());
  writeFileSynced(temp, bytes);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    failErrno(path, "cannot rename " + temp.filename().string() + " to it",
              error);
  }
  syncDirectory(path.parent_path());
}

FileDigest digestFile(const fs::path &path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    failErrno(path, "cannot open", errno);
  FileDigest digest;
  digest.fnv1a64 = kFnv1a64Basis;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      failErrno(path, "cannot read", errno);
    }
    if (n == 0)
      break;
    digest.bytes += static_cast<uint64_t>(n);
    digest.fnv1a64 =
        fnv1a64(buffer.data(), static_cast<size_t>(n), digest.fnv1a64);
  }
  return digest;
}

std::string readFileBytes(const fs::path &path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    failErrno(path, "cannot open", errno);
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      failErrno(path, "cannot read", errno);
    }
    if (n == 0)
      break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

bool processExists(int64_t pid) {
  if (pid <= 0)
    return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

int64_t currentProcessId() { return static_cast<int64_t>(::getpid()); }

} // namespace rlg::runtime
