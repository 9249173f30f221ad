// The safetensors format: a JSON header of names, dtypes, shapes and byte
// offsets, then the tensors' bytes; read memory-mapped, written atomically.
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Support/Files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rlg::runtime {

namespace {

using nlohmann::json;

const char *kHint = "the file is damaged or not a safetensors file; write it "
                    "again (safetensors.torch.save_file, or rlg)";

struct DtypeInfo {
  const char *name;
  at::ScalarType type;
};

const DtypeInfo kDtypes[] = {
    {"F64", at::kDouble},    {"F32", at::kFloat}, {"F16", at::kHalf},
    {"BF16", at::kBFloat16}, {"I64", at::kLong},  {"I32", at::kInt},
    {"I16", at::kShort},     {"I8", at::kChar},   {"U8", at::kByte},
    {"BOOL", at::kBool},
};

const DtypeInfo *findDtype(const std::string &name) {
  for (const DtypeInfo &d : kDtypes)
    if (name == d.name)
      return &d;
  return nullptr;
}

} // namespace

std::string safetensorsDtype(at::ScalarType type) {
  for (const DtypeInfo &d : kDtypes)
    if (d.type == type)
      return d.name;
  throw std::invalid_argument("safetensors: no dtype name for this tensor's "
                              "element type");
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path &file)
    : path(file) {
  auto fail = [&](const std::string &problem) -> void {
    throw CheckpointError(path, problem, kHint);
  };
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0)
    throw CheckpointError(path,
                          std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  ::fstat(fd, &info);
  auto size = static_cast<uint64_t>(info.st_size);
  void *base =
      size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
  ::close(fd);
  if (base == MAP_FAILED)
    fail(size < 8 ? "is " + std::to_string(size) +
                        " bytes, shorter than the 8-byte header size"
                  : std::string("cannot be mapped: ") + std::strerror(errno));
  mapping = std::shared_ptr<void>(base, [size](void *p) { ::munmap(p, size); });
  if (size < 8)
    fail("is " + std::to_string(size) +
         " bytes, shorter than the 8-byte header size");
  uint64_t headerSize = 0;
  const auto *bytes = static_cast<const uint8_t *>(base);
  for (int i = 7; i >= 0; --i)
    headerSize = headerSize << 8 | bytes[i];
  if (headerSize > size - 8)
    fail("its header claims " + std::to_string(headerSize) +
         " bytes, but only " + std::to_string(size - 8) + " follow");
  json header;
  try {
    header = json::parse(bytes + 8, bytes + 8 + headerSize);
  } catch (const json::exception &e) {
    fail(std::string("its header is not JSON: ") + e.what());
  }
  if (!header.is_object())
    fail("its header is not a JSON object");
  data = bytes + 8 + headerSize;
  uint64_t dataSize = size - 8 - headerSize;
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (auto &[name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object())
        fail("__metadata__ is not an object");
      for (auto &[key, text] : value.items()) {
        if (!text.is_string())
          fail("__metadata__." + key + " is not a string");
        meta[key] = text.get<std::string>();
      }
      continue;
    }
    std::string where = "tensor '" + name + "': ";
    if (!value.is_object() || !value.contains("dtype") ||
        !value.contains("shape") || !value.contains("data_offsets"))
      fail(where + "needs dtype, shape and data_offsets");
    SafetensorsEntry entry;
    try {
      entry.dtype = value.at("dtype").get<std::string>();
      entry.shape = value.at("shape").get<std::vector<int64_t>>();
      auto offsets = value.at("data_offsets").get<std::vector<int64_t>>();
      if (offsets.size() != 2)
        fail(where + "data_offsets must be [begin, end]");
      entry.begin = offsets[0];
      entry.end = offsets[1];
    } catch (const json::exception &) {
      fail(where + "dtype must be a string, shape and data_offsets lists of "
                   "integers");
    }
    const DtypeInfo *dtype = findDtype(entry.dtype);
    if (!dtype)
      fail(where + "dtype '" + entry.dtype +
           "' is not one this runtime reads (F64, F32, F16, BF16, I64, I32, "
           "I16, I8, U8, BOOL)");
    int64_t count = 1;
    for (int64_t d : entry.shape) {
      if (d < 0)
        fail(where + "has a negative dimension");
      count *= d;
    }
    int64_t need = count * static_cast<int64_t>(c10::elementSize(dtype->type));
    if (entry.begin < 0 || entry.end < entry.begin ||
        static_cast<uint64_t>(entry.end) > dataSize)
      fail(where + "data_offsets [" + std::to_string(entry.begin) + ", " +
           std::to_string(entry.end) + "] fall outside the " +
           std::to_string(dataSize) + " data bytes (a truncated file?)");
    if (entry.end - entry.begin != need)
      fail(where + "holds " + std::to_string(entry.end - entry.begin) +
           " bytes, but " + entry.dtype + " of its shape needs " +
           std::to_string(need));
    spans.emplace_back(entry.begin, entry.end);
    tensors[name] = entry;
  }
  std::sort(spans.begin(), spans.end());
  int64_t at = 0;
  for (auto [begin, end] : spans) {
    if (begin != at)
      fail(begin < at
               ? "two tensors' data overlap at byte " + std::to_string(begin)
               : "the data has a gap at byte " + std::to_string(at));
    at = end;
  }
  if (static_cast<uint64_t>(at) != dataSize)
    fail("the data section has " + std::to_string(dataSize - at) +
         " bytes that no tensor owns");
}

at::Tensor SafetensorsFile::tensor(const std::string &name) const {
  auto it = tensors.find(name);
  if (it == tensors.end())
    throw CheckpointError(path, "has no tensor '" + name + "'");
  const SafetensorsEntry &entry = it->second;
  std::shared_ptr<void> keep = mapping;
  // The mapping is read-only; tensors made from it are only read or copied.
  return at::from_blob(
      const_cast<uint8_t *>(data + entry.begin), entry.shape, [keep](void *) {},
      at::TensorOptions(findDtype(entry.dtype)->type));
}

void writeSafetensors(const std::filesystem::path &path,
                      const std::map<std::string, at::Tensor> &tensors,
                      const std::map<std::string, std::string> &metadata) {
  json header = json::object();
  if (!metadata.empty())
    header["__metadata__"] = metadata;
  std::vector<at::Tensor> contents;
  int64_t offset = 0;
  for (const auto &[name, t] : tensors) {
    at::Tensor cpu = t.detach().to(at::kCPU).contiguous();
    int64_t bytes = cpu.numel() * static_cast<int64_t>(cpu.element_size());
    header[name] = {{"dtype", safetensorsDtype(cpu.scalar_type())},
                    {"shape", cpu.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    contents.push_back(cpu);
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string file(8, '\0');
  uint64_t size = text.size();
  for (int i = 0; i < 8; ++i)
    file[i] = static_cast<char>(size >> (8 * i) & 0xff);
  file += text;
  for (const at::Tensor &t : contents)
    file.append(static_cast<const char *>(t.data_ptr()),
                t.numel() * t.element_size());
  writeFileAtomic(path, file);
}

std::map<std::string, at::Tensor>
readSafetensorsCheckpoint(const std::filesystem::path &path) {
  namespace fs = std::filesystem;
  std::map<std::string, at::Tensor> out;
  if (!fs::is_directory(path)) {
    SafetensorsFile file(path);
    for (const auto &item : file.entries())
      out[item.first] = file.tensor(item.first);
    return out;
  }
  fs::path single = path / "model.safetensors";
  fs::path index = path / "model.safetensors.index.json";
  if (fs::exists(single))
    return readSafetensorsCheckpoint(single);
  if (!fs::exists(index))
    throw CheckpointError(path,
                          "holds neither model.safetensors nor "
                          "model.safetensors.index.json",
                          "give the folder of a Hugging Face checkpoint");
  json map;
  try {
    map = json::parse(readFileBytes(index));
  } catch (const json::exception &e) {
    throw CheckpointError(index, std::string("is not JSON: ") + e.what());
  }
  if (!map.contains("weight_map") || !map["weight_map"].is_object())
    throw CheckpointError(index, "has no weight_map object");
  std::map<std::string, std::set<std::string>> byShard;
  for (auto &[name, shard] : map["weight_map"].items()) {
    if (!shard.is_string())
      throw CheckpointError(index, "weight_map." + name + " is not a file");
    byShard[shard.get<std::string>()].insert(name);
  }
  for (const auto &[shard, names] : byShard) {
    if (fs::path(shard).has_parent_path())
      throw CheckpointError(index, "names shard '" + shard +
                                       "' outside the checkpoint folder");
    SafetensorsFile file(path / shard);
    for (const std::string &name : names)
      out[name] = file.tensor(name);
    for (const auto &item : file.entries())
      if (!names.count(item.first))
        throw CheckpointError(path / shard,
                              "holds '" + item.first +
                                  "', which the index maps to another shard");
  }
  return out;
}

} // namespace rlg::runtime
