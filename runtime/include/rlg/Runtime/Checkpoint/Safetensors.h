// The safetensors format: a JSON header of names, dtypes, shapes and byte
// offsets, then the tensors' bytes; read memory-mapped, written atomically.
#pragma once

#include <ATen/ATen.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace rlg::runtime {

/// One tensor entry of a safetensors header.
struct SafetensorsEntry {
  std::string dtype; // "F32", "BF16", "I64", ...
  std::vector<int64_t> shape;
  int64_t begin = 0, end = 0; // byte offsets into the data section
};

/// An open safetensors file: its header checked, its bytes mapped (the
/// tensors read from it share the mapping, which lives as long as any).
class SafetensorsFile {
public:
  /// Maps and checks `path`: the header size, the JSON, every entry's dtype,
  /// shape and offsets (inside the data, no overlaps or gaps, the size the
  /// dtype and shape need). Throws CheckpointError naming the file, the
  /// tensor and the problem.
  explicit SafetensorsFile(const std::filesystem::path &path);

  const std::map<std::string, SafetensorsEntry> &entries() const {
    return tensors;
  }
  const std::map<std::string, std::string> &metadata() const { return meta; }
  /// The tensor `name` on the CPU, sharing the mapping (no copy). Throws
  /// CheckpointError for a name the file lacks.
  at::Tensor tensor(const std::string &name) const;

private:
  std::filesystem::path path;
  std::shared_ptr<void> mapping;
  const uint8_t *data = nullptr; // the data section
  std::map<std::string, SafetensorsEntry> tensors;
  std::map<std::string, std::string> meta;
};

/// Writes `tensors` (any device; contiguous copies are made) to `path` with
/// `metadata` under "__metadata__", atomically. Names are written sorted;
/// the header is padded with spaces to a multiple of 8 bytes.
void writeSafetensors(const std::filesystem::path &path,
                      const std::map<std::string, at::Tensor> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

/// The safetensors dtype name of `type` ("F32", "BF16", ...); throws
/// std::invalid_argument for a dtype the format has no name for here.
std::string safetensorsDtype(at::ScalarType type);

/// Every tensor of a checkpoint directory or file: `model.safetensors`, or
/// the shards that `model.safetensors.index.json` maps names to (each shard
/// checked to hold exactly the names the index gives it). Throws
/// CheckpointError.
std::map<std::string, at::Tensor>
readSafetensorsCheckpoint(const std::filesystem::path &path);

} // namespace rlg::runtime
