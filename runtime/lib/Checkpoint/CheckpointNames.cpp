// Checkpoint names, temporaries, fingerprints and the state checksum.
#include "CheckpointInternal.h"

#include "rlg/Runtime/Support/Encoding.h"
#include "rlg/Runtime/Support/Files.h"

#include <cctype>
#include <cstdio>

namespace rlg::runtime {
namespace checkpoint_detail {
namespace {

std::string safeFileName(const std::string &prefix, const std::string &name) {
  std::string safe;
  bool changed = name.empty();
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
        c == '.') {
      safe += c;
    } else {
      safe += '_';
      changed = true;
    }
  }
  if (changed)
    safe += "-" + hex64(fnv1a64(name)).substr(0, 8);
  return prefix + safe + ".pt";
}

bool allDigits(const std::string &text) {
  if (text.empty())
    return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

std::optional<int64_t> parseNumber(const std::string &text) {
  if (!allDigits(text) || text.size() > 18)
    return std::nullopt;
  return std::stoll(text);
}

} // namespace

std::string modelFileName(const std::string &model) {
  return safeFileName("model-", model);
}

std::string optimizerFileName(const std::string &optimizer) {
  return safeFileName("optim-", optimizer);
}

std::optional<int64_t> parseCheckpointDirName(const std::string &name) {
  const std::string prefix = "step-";
  if (name.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  return parseNumber(name.substr(prefix.size()));
}

std::optional<int64_t> temporaryOwner(const std::string &name) {
  for (const char *marker : {".tmp-", ".old-"}) {
    size_t at = name.rfind(marker);
    if (at == std::string::npos)
      continue;
    bool ours =
        name.compare(0, 6, ".step-") == 0 || name.compare(0, 7, "latest.") == 0;
    if (!ours)
      continue;
    return parseNumber(name.substr(at + 5));
  }
  return std::nullopt;
}

void removeStaleTemporaries(const fs::path &dir) {
  std::error_code ec;
  int64_t self = currentProcessId();
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    std::optional<int64_t> owner =
        temporaryOwner(entry.path().filename().string());
    if (!owner || (*owner != self && processExists(*owner)))
      continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

std::vector<std::pair<std::string, at::Tensor>>
namedTensors(torch::nn::Module &module) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto &item : module.named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  for (const auto &item : module.named_buffers(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  return out;
}

std::string shapeText(at::IntArrayRef sizes) {
  std::string out = "[";
  for (size_t i = 0; i < sizes.size(); ++i)
    out += (i ? ", " : "") + std::to_string(sizes[i]);
  return out + "]";
}

std::string shapeText(const std::vector<int64_t> &sizes) {
  return shapeText(at::IntArrayRef(sizes));
}

json fingerprintToJson(const RunFingerprint &fingerprint) {
  json models = json::array();
  for (const ModelFingerprint &model : fingerprint.models) {
    const ModelArch &arch = model.arch;
    models.push_back({{"name", model.name},
                      {"role", model.role},
                      {"arch",
                       {{"layers", arch.layers},
                        {"hidden", arch.hidden},
                        {"ffn", arch.ffn},
                        {"heads", arch.heads},
                        {"kv_heads", arch.kvHeads},
                        {"vocab", arch.vocab},
                        {"tie_embeddings", arch.tieEmbeddings}}}});
  }
  return {{"program", fingerprint.program}, {"models", models}};
}

std::string stateChecksum(const json &state) {
  json copy = state;
  if (copy.is_object())
    copy.erase("state_checksum");
  return hex64(fnv1a64(copy.dump()));
}

} // namespace checkpoint_detail

std::string checkpointDirName(int64_t step) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "step-%06lld",
                static_cast<long long>(step));
  return buffer;
}

} // namespace rlg::runtime
