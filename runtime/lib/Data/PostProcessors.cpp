// tokenizer.json's post-processors: the special tokens around a text.
#include "PostProcessors.h"

#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <map>

namespace rlg::runtime::bpe {
namespace {

constexpr const char *kSupported = "TemplateProcessing, ByteLevel, Sequence";

/// ByteLevel only trims offsets, which ids do not have.
class NoPostProcessor : public PostProcessor {
public:
  void apply(std::vector<int64_t> &) const override {}
  std::vector<int64_t> specialIds() const override { return {}; }
};

/// The "single" template: special tokens' ids and the sequence ("A").
class TemplatePostProcessor : public PostProcessor {
public:
  struct Item {
    bool isSequence = false;
    std::vector<int64_t> ids; // a special token's
  };
  explicit TemplatePostProcessor(std::vector<Item> items)
      : items(std::move(items)) {}

  void apply(std::vector<int64_t> &ids) const override {
    std::vector<int64_t> out;
    out.reserve(ids.size() + items.size());
    for (const Item &item : items)
      if (item.isSequence)
        out.insert(out.end(), ids.begin(), ids.end());
      else
        out.insert(out.end(), item.ids.begin(), item.ids.end());
    ids = std::move(out);
  }
  std::vector<int64_t> specialIds() const override {
    std::vector<int64_t> all;
    for (const Item &item : items)
      all.insert(all.end(), item.ids.begin(), item.ids.end());
    return all;
  }

private:
  std::vector<Item> items;
};

class SequencePostProcessor : public PostProcessor {
public:
  explicit SequencePostProcessor(
      std::vector<std::unique_ptr<PostProcessor>> parts)
      : parts(std::move(parts)) {}
  void apply(std::vector<int64_t> &ids) const override {
    for (const auto &part : parts)
      part->apply(ids);
  }
  std::vector<int64_t> specialIds() const override {
    std::vector<int64_t> all;
    for (const auto &part : parts) {
      std::vector<int64_t> ids = part->specialIds();
      all.insert(all.end(), ids.begin(), ids.end());
    }
    return all;
  }

private:
  std::vector<std::unique_ptr<PostProcessor>> parts;
};

/// "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}
/// (or a list of such objects).
std::map<std::string, std::vector<int64_t>>
parseSpecialTokens(const JsonFile &file, const nlohmann::json &value,
                   const std::string &path) {
  std::map<std::string, std::vector<int64_t>> tokens;
  if (value.is_null())
    return tokens;
  if (!value.is_object() && !value.is_array())
    file.fail(path, "must be an object, not " + describeJsonType(value));
  size_t index = 0;
  for (auto it = value.begin(); it != value.end(); ++it, ++index) {
    std::string entryPath = value.is_object()
                                ? path + "[" + quote(it.key()) + "]"
                                : jsonPath(path, index);
    const nlohmann::json &entry = it.value();
    file.requireObject(entry, entryPath);
    std::string name = file.string(entry, "id", entryPath);
    const nlohmann::json *ids = file.find(entry, "ids");
    if (!ids)
      file.fail(entryPath, "has no \"ids\"");
    std::string idsPath = jsonPath(entryPath, "ids");
    file.requireArray(*ids, idsPath);
    std::vector<int64_t> list;
    for (size_t i = 0; i < ids->size(); ++i)
      list.push_back(file.tokenId((*ids)[i], jsonPath(idsPath, i)));
    tokens[name] = std::move(list);
  }
  return tokens;
}

std::unique_ptr<PostProcessor> parseTemplate(const JsonFile &file,
                                             const nlohmann::json &value,
                                             const std::string &path) {
  const nlohmann::json *special = file.find(value, "special_tokens");
  std::map<std::string, std::vector<int64_t>> specialTokens =
      special
          ? parseSpecialTokens(file, *special, jsonPath(path, "special_tokens"))
          : std::map<std::string, std::vector<int64_t>>{};
  const nlohmann::json *single = file.find(value, "single");
  std::string singlePath = jsonPath(path, "single");
  if (!single)
    file.fail(path, "has no \"single\"");
  file.requireArray(*single, singlePath);
  std::vector<TemplatePostProcessor::Item> items;
  for (size_t i = 0; i < single->size(); ++i) {
    std::string itemPath = jsonPath(singlePath, i);
    const nlohmann::json &item = (*single)[i];
    file.requireObject(item, itemPath);
    if (const nlohmann::json *token = file.find(item, "SpecialToken")) {
      std::string tokenPath = jsonPath(itemPath, "SpecialToken");
      file.requireObject(*token, tokenPath);
      std::string name = file.string(*token, "id", tokenPath);
      auto it = specialTokens.find(name);
      if (it == specialTokens.end())
        file.fail(jsonPath(tokenPath, "id"),
                  quote(name) + " is not in " +
                      jsonPath(path, "special_tokens"));
      items.push_back({false, it->second});
    } else if (const nlohmann::json *sequence = file.find(item, "Sequence")) {
      std::string sequencePath = jsonPath(itemPath, "Sequence");
      file.requireObject(*sequence, sequencePath);
      std::string name = file.string(*sequence, "id", sequencePath);
      if (name != "A")
        file.fail(jsonPath(sequencePath, "id"),
                  quote(name) + " is not supported in \"single\" (only \"A\")");
      items.push_back({true, {}});
    } else {
      file.fail(itemPath, "must be {\"SpecialToken\": ...} or "
                          "{\"Sequence\": ...}");
    }
  }
  return std::make_unique<TemplatePostProcessor>(std::move(items));
}

} // namespace

std::unique_ptr<PostProcessor> parsePostProcessor(const JsonFile &file,
                                                  const nlohmann::json &value,
                                                  const std::string &path) {
  if (value.is_null())
    return nullptr;
  std::string type = file.type(value, path);
  if (type == "ByteLevel")
    return std::make_unique<NoPostProcessor>();
  if (type == "TemplateProcessing")
    return parseTemplate(file, value, path);
  if (type == "Sequence")
    return std::make_unique<SequencePostProcessor>(
        parseSequenceParts<PostProcessor>(file, value, path, "processors",
                                          parsePostProcessor));
  file.unsupported(jsonPath(path, "type"), type, kSupported);
}

} // namespace rlg::runtime::bpe
