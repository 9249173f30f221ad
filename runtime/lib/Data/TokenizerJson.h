// Typed tokenizer.json fields, and errors naming the file and JSON path.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rlg::runtime::bpe {

/// "pre_tokenizer" + "pretokenizers" -> "pre_tokenizer.pretokenizers".
std::string jsonPath(const std::string &parent, const std::string &key);
/// "pre_tokenizer.pretokenizers" + 1 -> "pre_tokenizer.pretokenizers[1]".
std::string jsonPath(const std::string &parent, size_t index);

/// One JSON file being read; every error it throws is a
/// std::invalid_argument that starts with the file's name and a JSON path:
/// `tokenizer.json: model.merges[3] names "xy", which is not in model.vocab`.
class JsonFile {
public:
  explicit JsonFile(std::string name) : fileName(std::move(name)) {}
  const std::string &name() const { return fileName; }

  /// Throws "<file>: <path> <message>".
  [[noreturn]] void fail(const std::string &path,
                         const std::string &message) const;
  /// Throws `<path> "T" is not supported (supported: <supported>)`.
  [[noreturn]] void unsupported(const std::string &path,
                                const std::string &value,
                                const char *supported) const;

  /// The field, or nullptr when it is missing. `object` must be an object.
  const nlohmann::json *find(const nlohmann::json &object,
                             const char *key) const;
  /// A required object's "type" string (path names the object).
  std::string type(const nlohmann::json &object, const std::string &path) const;
  /// A required string field.
  std::string string(const nlohmann::json &object, const char *key,
                     const std::string &path) const;
  /// A string field that may be missing or null.
  std::optional<std::string> optionalString(const nlohmann::json &object,
                                            const char *key,
                                            const std::string &path) const;
  /// A bool field; `fallback` when missing or null.
  bool boolean(const nlohmann::json &object, const char *key,
               const std::string &path, bool fallback) const;
  /// A non-negative integer field; `fallback` when missing or null.
  int64_t count(const nlohmann::json &object, const char *key,
                const std::string &path, int64_t fallback) const;
  /// A token id: an integer in [0, 2^31 - 1).
  int64_t tokenId(const nlohmann::json &value, const std::string &path) const;
  /// A field that must be one code point (Metaspace's replacement).
  std::string character(const nlohmann::json &object, const char *key,
                        const std::string &path) const;
  /// Requires `value` to be an object (or an array).
  void requireObject(const nlohmann::json &value,
                     const std::string &path) const;
  void requireArray(const nlohmann::json &value, const std::string &path) const;

private:
  std::string fileName;
};

/// The JSON type of a value, for messages: "a string", "null", ...
std::string describeJsonType(const nlohmann::json &value);

/// The parts of a "Sequence" component: each element of `value[key]`,
/// parsed by `parse(file, element, path)`; parts it returns null for are
/// dropped.
template <typename Part, typename Parse>
std::vector<std::unique_ptr<Part>>
parseSequenceParts(const JsonFile &file, const nlohmann::json &value,
                   const std::string &path, const std::string &key,
                   Parse parse) {
  const nlohmann::json *list = file.find(value, key.c_str());
  std::string listPath = jsonPath(path, key);
  if (!list)
    file.fail(path, "has no \"" + key + "\"");
  file.requireArray(*list, listPath);
  std::vector<std::unique_ptr<Part>> parts;
  for (size_t i = 0; i < list->size(); ++i)
    if (auto part = parse(file, (*list)[i], jsonPath(listPath, i)))
      parts.push_back(std::move(part));
  return parts;
}

} // namespace rlg::runtime::bpe
