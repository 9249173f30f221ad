// Typed tokenizer.json fields, and errors naming the file and JSON path.
#include "TokenizerJson.h"

#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <stdexcept>

namespace rlg::runtime::bpe {

using nlohmann::json;

std::string jsonPath(const std::string &parent, const std::string &key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string jsonPath(const std::string &parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string describeJsonType(const json &value) {
  switch (value.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::object:
    return "an object";
  case json::value_t::array:
    return "an array";
  case json::value_t::string:
    return "a string";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::number_float:
    return "a fractional number";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "an integer";
  default:
    return "a binary value";
  }
}

void JsonFile::fail(const std::string &path, const std::string &message) const {
  throw std::invalid_argument(fileName + ": " + path + " " + message);
}

void JsonFile::unsupported(const std::string &path, const std::string &value,
                           const char *supported) const {
  fail(path, quote(value) + " is not supported (supported: " + supported + ")");
}

void JsonFile::requireObject(const json &value, const std::string &path) const {
  if (!value.is_object())
    fail(path, "must be an object, not " + describeJsonType(value));
}

void JsonFile::requireArray(const json &value, const std::string &path) const {
  if (!value.is_array())
    fail(path, "must be an array, not " + describeJsonType(value));
}

const json *JsonFile::find(const json &object, const char *key) const {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string JsonFile::type(const json &object, const std::string &path) const {
  requireObject(object, path);
  const json *type = find(object, "type");
  if (!type)
    fail(path, "has no \"type\"");
  if (!type->is_string())
    fail(jsonPath(path, "type"),
         "must be a string, not " + describeJsonType(*type));
  return type->get<std::string>();
}

std::string JsonFile::string(const json &object, const char *key,
                             const std::string &path) const {
  const json *value = find(object, key);
  if (!value)
    fail(path, std::string("has no \"") + key + "\"");
  if (!value->is_string())
    fail(jsonPath(path, key),
         "must be a string, not " + describeJsonType(*value));
  return value->get<std::string>();
}

std::optional<std::string>
JsonFile::optionalString(const json &object, const char *key,
                         const std::string &path) const {
  const json *value = find(object, key);
  if (!value || value->is_null())
    return std::nullopt;
  if (!value->is_string())
    fail(jsonPath(path, key),
         "must be a string or null, not " + describeJsonType(*value));
  return value->get<std::string>();
}

bool JsonFile::boolean(const json &object, const char *key,
                       const std::string &path, bool fallback) const {
  const json *value = find(object, key);
  if (!value || value->is_null())
    return fallback;
  if (!value->is_boolean())
    fail(jsonPath(path, key),
         "must be true or false, not " + describeJsonType(*value));
  return value->get<bool>();
}

int64_t JsonFile::count(const json &object, const char *key,
                        const std::string &path, int64_t fallback) const {
  const json *value = find(object, key);
  if (!value || value->is_null())
    return fallback;
  if (!value->is_number_integer() || value->get<int64_t>() < 0)
    fail(jsonPath(path, key),
         "must be a non-negative integer, not " +
             (value->is_number_integer() ? value->dump()
                                         : describeJsonType(*value)));
  return value->get<int64_t>();
}

int64_t JsonFile::tokenId(const json &value, const std::string &path) const {
  constexpr int64_t kLimit = std::numeric_limits<int32_t>::max();
  if (value.is_number_unsigned()) {
    uint64_t id = value.get<uint64_t>();
    if (id >= static_cast<uint64_t>(kLimit))
      fail(path, "is " + value.dump() + ", outside [0, " +
                     std::to_string(kLimit) + ")");
    return static_cast<int64_t>(id);
  }
  if (value.is_number_integer())
    fail(path, "is " + value.dump() + ", outside [0, " +
                   std::to_string(kLimit) + ")");
  fail(path, "must be an integer id, not " + describeJsonType(value));
}

std::string JsonFile::character(const json &object, const char *key,
                                const std::string &path) const {
  std::string text = string(object, key, path);
  if (utf8Length(text) != 1)
    fail(jsonPath(path, key), "must be one character, not " + quote(text));
  return text;
}

} // namespace rlg::runtime::bpe
