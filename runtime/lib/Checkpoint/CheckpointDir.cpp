// Finding checkpoints: listing step-N directories, following `latest`.
#include "CheckpointInternal.h"

#include "rlg/Runtime/Support/Files.h"

#include <algorithm>
#include <cctype>

namespace rlg::runtime {
using namespace checkpoint_detail;

namespace {

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  size_t start = 0;
  while (start < text.size() &&
         std::isspace(static_cast<unsigned char>(text[start])))
    ++start;
  return text.substr(start);
}

std::string availableList(const fs::path &dir) {
  auto checkpoints = listCheckpoints(dir);
  if (checkpoints.empty())
    return "none";
  std::string out;
  for (const auto &[step, path] : checkpoints)
    out += (out.empty() ? "" : ", ") + path.filename().string();
  return out;
}

} // namespace

std::vector<std::pair<int64_t, fs::path>> listCheckpoints(const fs::path &dir) {
  std::vector<std::pair<int64_t, fs::path>> out;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    std::error_code typeError;
    if (!entry.is_directory(typeError))
      continue;
    if (auto step = parseCheckpointDirName(entry.path().filename().string()))
      out.emplace_back(*step, entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<fs::path> findLatestCheckpoint(const fs::path &dir) {
  std::error_code ec;
  fs::path latest = dir / kLatestFile;
  if (fs::exists(latest, ec)) {
    std::string name;
    try {
      name = trim(readFileBytes(latest));
    } catch (const FileError &error) {
      throw CheckpointError(latest, error.message(),
                            "check the permissions of the checkpoint "
                            "directory");
    }
    if (!parseCheckpointDirName(name))
      throw CheckpointError(latest,
                            "does not name a checkpoint (\"" + name +
                                "\"; expected a step-N directory name)",
                            "pass --resume a step-N directory; checkpoints "
                            "here: " +
                                availableList(dir));
    fs::path target = dir / name;
    if (!fs::is_directory(target, ec))
      throw CheckpointError(latest, "names " + name + ", which does not exist",
                            "pass --resume a step-N directory; checkpoints "
                            "here: " +
                                availableList(dir));
    return target;
  }
  // `latest` is written after the rename: a run that stopped in between
  // leaves complete checkpoints and no pointer; the newest is the one.
  auto checkpoints = listCheckpoints(dir);
  if (checkpoints.empty())
    return std::nullopt;
  return checkpoints.back().second;
}

fs::path resolveCheckpoint(const fs::path &path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw CheckpointError(path, "no such checkpoint directory",
                          "pass --resume a step-N directory or the "
                          "checkpoint directory holding `latest`");
  if (!fs::is_directory(path, ec))
    throw CheckpointError(path, "is not a directory",
                          "pass --resume a step-N directory or the "
                          "checkpoint directory holding `latest`");
  if (fs::exists(path / kStateFile, ec) ||
      parseCheckpointDirName(path.filename().string()))
    return path;
  if (std::optional<fs::path> latest = findLatestCheckpoint(path))
    return *latest;
  throw CheckpointError(path,
                        "holds no checkpoint (no `latest`, no step-N "
                        "directory)",
                        "checkpoints are written every run.checkpoint.every "
                        "steps; start without --resume");
}

} // namespace rlg::runtime
