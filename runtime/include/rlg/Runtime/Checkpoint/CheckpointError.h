// The one error type checkpoint saving and loading report.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace rlg::runtime {

/// A checkpoint could not be written or read: which file, what is wrong and
/// what to do about it. what() reads
///   "<file>: <problem>\n  hint: <hint>"
/// (without the hint line when there is none).
class CheckpointError : public std::runtime_error {
public:
  CheckpointError(std::filesystem::path file, std::string problem,
                  std::string hint = "");

  const std::filesystem::path &file() const { return file_; }
  const std::string &problem() const { return problem_; }
  const std::string &hint() const { return hint_; }

private:
  std::filesystem::path file_;
  std::string problem_;
  std::string hint_;
};

} // namespace rlg::runtime
