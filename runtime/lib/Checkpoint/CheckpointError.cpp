// CheckpointError's message: the file, the problem, the hint.
#include "rlg/Runtime/Checkpoint/CheckpointError.h"

namespace rlg::runtime {
namespace {
std::string render(const std::filesystem::path &file,
                   const std::string &problem, const std::string &hint) {
  std::string out = file.empty() ? problem : file.string() + ": " + problem;
  if (!hint.empty())
    out += "\n  hint: " + hint;
  return out;
}
} // namespace

CheckpointError::CheckpointError(std::filesystem::path file,
                                 std::string problem, std::string hint)
    : std::runtime_error(render(file, problem, hint)), file_(std::move(file)),
      problem_(std::move(problem)), hint_(std::move(hint)) {}

} // namespace rlg::runtime
