// Writing a checkpoint: into a temporary directory, fsynced, renamed into
// place, `latest` replaced, old checkpoints pruned.
#include "CheckpointInternal.h"

#include "rlg/Runtime/Checkpoint/RngState.h"
#include "rlg/Runtime/Support/Encoding.h"
#include "rlg/Runtime/Support/Files.h"

#include <torch/serialize/output-archive.h>

#include <set>

namespace rlg::runtime {
using namespace checkpoint_detail;

namespace {

const char *kWriteHint = "is the disk full, or the checkpoint directory not "
                         "writable? the previous checkpoints are unchanged";

/// Writes `archive` to `path`, returning its size and checksum.
FileDigest writeArchive(torch::serialize::OutputArchive &archive,
                        const fs::path &path) {
  return writeFileSynced(path, [&](const auto &write) {
    archive.save_to([&](const void *data, size_t size) -> size_t {
      write(data, size);
      return size;
    });
  });
}

json fileEntry(const std::string &name, const FileDigest &digest) {
  return {{"path", name},
          {"bytes", digest.bytes},
          {"fnv1a64", hex64(digest.fnv1a64)}};
}

json optimizerShapes(torch::optim::Optimizer &optimizer) {
  json groups = json::array();
  for (const auto &group : optimizer.param_groups()) {
    json shapes = json::array();
    for (const at::Tensor &param : group.params())
      shapes.push_back(param.sizes().vec());
    groups.push_back(shapes);
  }
  return groups;
}

/// Writes every file of the checkpoint into `temp`.
void writeContent(const fs::path &temp, int64_t step,
                  const CheckpointContent &content) {
  json files = json::array();
  std::set<std::string> used;
  auto claim = [&](const std::string &file, const std::string &what) {
    if (!used.insert(file).second)
      throw CheckpointError(temp / file,
                            what + " would overwrite another file of the "
                                   "checkpoint",
                            "give models and optimizers distinct names");
  };

  json models = json::object();
  for (const auto &[name, module] : content.models) {
    if (!module)
      throw CheckpointError(temp, "model '" + name + "' is a null pointer");
    std::string file = modelFileName(name);
    claim(file, "model '" + name + "'");
    torch::serialize::OutputArchive archive;
    int64_t tensors = 0;
    for (const auto &item : module->named_parameters(/*recurse=*/true)) {
      archive.write(item.key(), item.value().detach().to(at::kCPU),
                    /*is_buffer=*/false);
      ++tensors;
    }
    for (const auto &item : module->named_buffers(/*recurse=*/true)) {
      archive.write(item.key(), item.value().detach().to(at::kCPU),
                    /*is_buffer=*/true);
      ++tensors;
    }
    FileDigest digest = writeArchive(archive, temp / file);
    files.push_back(fileEntry(file, digest));
    models[name] = {{"file", file}, {"tensors", tensors}};
  }

  json optimizers = json::object();
  for (const auto &[name, optimizer] : content.optimizers) {
    if (!optimizer)
      throw CheckpointError(temp, "optimizer '" + name + "' is a null pointer");
    std::string file = optimizerFileName(name);
    claim(file, "optimizer '" + name + "'");
    // What torch::save(optimizer, path) writes, through our fsynced writer.
    torch::serialize::OutputArchive archive;
    optimizer->save(archive);
    FileDigest digest = writeArchive(archive, temp / file);
    files.push_back(fileEntry(file, digest));
    optimizers[name] = {{"file", file},
                        {"param_groups", optimizerShapes(*optimizer)}};
  }

  json rng = json::object();
  if (content.torchRng) {
    TorchRngState torchState = captureTorchRng();
    rng["torch_cpu"] = base64Encode(torchState.cpu);
    json cuda = json::array();
    for (const std::string &state : torchState.cuda)
      cuda.push_back(base64Encode(state));
    rng["torch_cuda"] = cuda;
  }
  json host = json::object();
  for (const auto &[name, engine] : content.hostRngs) {
    if (!engine)
      throw CheckpointError(temp, "generator '" + name + "' is a null pointer");
    host[name] = mt19937State(*engine);
  }
  rng["host"] = host;

  json data = json::object();
  for (const auto &[name, position] : content.dataPositions)
    data[name] = {{"epoch", position.epoch},
                  {"index", position.index},
                  {"shuffle_seed", position.shuffleSeed}};

  json state = {{"format_version", kCheckpointFormatVersion},
                {"fingerprint", fingerprintToJson(content.fingerprint)},
                {"step", step},
                {"stage_index", content.stageIndex},
                {"data", data},
                {"rng", rng},
                {"run_state", content.runState},
                {"models", models},
                {"optimizers", optimizers},
                {"files", files}};
  state["state_checksum"] = stateChecksum(state);
  writeFileSynced(temp / kStateFile, state.dump(2) + "\n");
  syncDirectory(temp);
}

/// Renames `from` to `to`, or throws CheckpointError.
void renameOrThrow(const fs::path &from, const fs::path &to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec)
    throw CheckpointError(to,
                          "cannot rename " + from.filename().string() +
                              " to it: " + ec.message(),
                          kWriteHint);
}

/// Deletes all but the `keep` newest checkpoints up to `step`. Each is
/// renamed away first, so that a crash mid-delete never leaves a partial
/// step-N directory that looks complete.
void prune(const fs::path &dir, int64_t step, int keep) {
  if (keep <= 0)
    return;
  std::vector<fs::path> older;
  for (const auto &[other, path] : listCheckpoints(dir))
    if (other <= step)
      older.push_back(path);
  if (older.size() <= static_cast<size_t>(keep))
    return;
  older.resize(older.size() - static_cast<size_t>(keep));
  std::string pid = std::to_string(currentProcessId());
  for (const fs::path &path : older) {
    fs::path doomed = dir / ("." + path.filename().string() + ".old-" + pid);
    std::error_code ec;
    fs::rename(path, doomed, ec);
    if (!ec)
      fs::remove_all(doomed, ec);
  }
}

} // namespace

fs::path saveCheckpoint(const fs::path &dir, int64_t step,
                        const CheckpointContent &content, int keep) {
  if (step < 0)
    throw CheckpointError(dir, "cannot save a checkpoint for step " +
                                   std::to_string(step));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw CheckpointError(
        dir, "cannot create the checkpoint directory: " + ec.message(),
        "check run.checkpoint.dir and its permissions");
  removeStaleTemporaries(dir);

  std::string name = checkpointDirName(step);
  std::string pid = std::to_string(currentProcessId());
  fs::path temp = dir / ("." + name + ".tmp-" + pid);
  fs::remove_all(temp, ec);
  fs::create_directory(temp, ec);
  if (ec)
    throw CheckpointError(temp, "cannot create: " + ec.message(), kWriteHint);

  try {
    writeContent(temp, step, content);
  } catch (const FileError &error) {
    fs::remove_all(temp, ec);
    throw CheckpointError(error.path(), error.message(), kWriteHint);
  } catch (const c10::Error &error) {
    fs::remove_all(temp, ec);
    throw CheckpointError(temp,
                          std::string("cannot serialize: ") +
                              error.what_without_backtrace(),
                          kWriteHint);
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }

  // Into place. A step-N of the same step (from a run that went further
  // before it stopped) is moved aside first: rename cannot replace a
  // non-empty directory.
  fs::path final = dir / name;
  fs::path previous = dir / ("." + name + ".old-" + pid);
  bool replaced = false;
  if (fs::exists(final, ec)) {
    fs::remove_all(previous, ec);
    renameOrThrow(final, previous);
    replaced = true;
  }
  renameOrThrow(temp, final);
  try {
    syncDirectory(dir);
    writeFileAtomic(dir / kLatestFile, name + "\n");
  } catch (const FileError &error) {
    throw CheckpointError(error.path(), error.message(), kWriteHint);
  }
  if (replaced)
    fs::remove_all(previous, ec);
  prune(dir, step, keep);
  return final;
}

} // namespace rlg::runtime
