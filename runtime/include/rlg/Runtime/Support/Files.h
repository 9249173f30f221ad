// Durable file writes for checkpoints, metrics and traces (POSIX).
//
// Every function throws FileError, naming the path and the system's reason,
// when the operating system refuses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rlg::runtime {

class FileError : public std::runtime_error {
public:
  FileError(std::filesystem::path path, const std::string &message);
  const std::filesystem::path &path() const { return path_; }
  /// What went wrong, without the path ("cannot write: No space left").
  const std::string &message() const { return message_; }

private:
  std::filesystem::path path_;
  std::string message_;
};

/// Size and FNV-1a 64 checksum of what was written or read.
struct FileDigest {
  uint64_t bytes = 0;
  uint64_t fnv1a64 = 0;
};

/// Creates (or truncates) `path`, lets `produce` write through the callback
/// it is given, then fsyncs and closes the file. The callback writes all of
/// its bytes or throws FileError.
FileDigest writeFileSynced(
    const std::filesystem::path &path,
    const std::function<void(const std::function<void(const void *, size_t)> &)>
        &produce);
/// writeFileSynced with the bytes at hand.
FileDigest writeFileSynced(const std::filesystem::path &path,
                           std::string_view bytes);

/// Replaces `path` atomically: writes `path.tmp-<pid>` in the same folder,
/// fsyncs it, renames it over `path` and fsyncs the folder. Readers see the
/// old file or the new one, never a part.
void writeFileAtomic(const std::filesystem::path &path, std::string_view bytes);

/// fsyncs a directory, so that renames and new entries in it are durable.
void syncDirectory(const std::filesystem::path &dir);

/// The file's size and checksum, read in pieces (constant memory).
FileDigest digestFile(const std::filesystem::path &path);

/// The whole file.
std::string readFileBytes(const std::filesystem::path &path);

/// True when a process with this id exists (kill(pid, 0)).
bool processExists(int64_t pid);

/// This process's id.
int64_t currentProcessId();

} // namespace rlg::runtime
