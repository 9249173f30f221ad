// EOS, padding and BOS ids from a model folder's config files.
#include "TokenizerConfigs.h"

#include "TokenizerJson.h"
#include "TokenizerPipeline.h"
#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rlg::runtime::bpe {
namespace {

/// A config file's JSON object, or null when the file does not exist.
nlohmann::json readConfig(const std::filesystem::path &path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return nullptr;
  std::string text = readTextFile(path);
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error &e) {
    throw std::invalid_argument(path.string() +
                                ": not valid JSON: " + e.what());
  }
  if (!root.is_object())
    throw std::invalid_argument(path.string() +
                                ": must hold a JSON object, not " +
                                describeJsonType(root));
  return root;
}

/// `config[key]` when the config exists and the key holds a non-null value.
const nlohmann::json *presentField(const JsonFile &file,
                                   const nlohmann::json &config,
                                   const char *key) {
  if (config.is_null())
    return nullptr;
  const nlohmann::json *value = file.find(config, key);
  return value && !value->is_null() ? value : nullptr;
}

/// tokenizer_config.json's "eos_token" and the like: a string, or an
/// object with "content"; its id.
std::optional<int64_t> tokenField(const JsonFile &file,
                                  const nlohmann::json &config, const char *key,
                                  const TokenizerPipeline &pipeline) {
  const nlohmann::json *value = presentField(file, config, key);
  if (!value)
    return std::nullopt;
  std::string token;
  if (value->is_string())
    token = value->get<std::string>();
  else if (value->is_object())
    token = file.string(*value, "content", key);
  else
    file.fail(key, "must be a token (a string or {\"content\": ...}), not " +
                       describeJsonType(*value));
  std::optional<int64_t> id = pipeline.tokenToId(token);
  if (!id)
    file.fail(key, quote(token) + " is not a token of tokenizer.json");
  return id;
}

/// generation_config.json's and config.json's "eos_token_id" and the like:
/// an id, or a list whose first id counts.
std::optional<int64_t> idField(const JsonFile &file,
                               const nlohmann::json &config, const char *key,
                               const TokenizerPipeline &pipeline) {
  const nlohmann::json *value = presentField(file, config, key);
  if (!value)
    return std::nullopt;
  std::string path = key;
  if (value->is_array()) {
    if (value->empty())
      return std::nullopt;
    value = &(*value)[0];
    path = jsonPath(path, 0);
  }
  int64_t id = file.tokenId(*value, path);
  if (id >= pipeline.vocabSize())
    file.fail(path, std::to_string(id) + " is outside the vocabulary [0, " +
                        std::to_string(pipeline.vocabSize()) + ")");
  return id;
}

} // namespace

std::string readTextFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::invalid_argument(path.string() +
                                ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw std::invalid_argument(path.string() + ": cannot read");
  return text.str();
}

SpecialTokenIds readSpecialTokenIds(const std::filesystem::path &folder,
                                    const TokenizerPipeline &pipeline) {
  std::filesystem::path tokenizerConfigPath = folder / "tokenizer_config.json";
  std::filesystem::path generationConfigPath =
      folder / "generation_config.json";
  std::filesystem::path modelConfigPath = folder / "config.json";
  JsonFile tokenizerFile(tokenizerConfigPath.string());
  JsonFile generationFile(generationConfigPath.string());
  JsonFile modelFile(modelConfigPath.string());
  nlohmann::json tokenizerConfig = readConfig(tokenizerConfigPath);
  nlohmann::json generationConfig = readConfig(generationConfigPath);
  nlohmann::json modelConfig = readConfig(modelConfigPath);

  auto fromConfigs = [&](const char *tokenKey,
                         const char *idKey) -> std::optional<int64_t> {
    if (auto id =
            tokenField(tokenizerFile, tokenizerConfig, tokenKey, pipeline))
      return id;
    if (auto id = idField(generationFile, generationConfig, idKey, pipeline))
      return id;
    return idField(modelFile, modelConfig, idKey, pipeline);
  };
  SpecialTokenIds ids;
  ids.eos = fromConfigs("eos_token", "eos_token_id");
  ids.bos = fromConfigs("bos_token", "bos_token_id");
  ids.pad = tokenField(tokenizerFile, tokenizerConfig, "pad_token", pipeline);
  return ids;
}

} // namespace rlg::runtime::bpe
