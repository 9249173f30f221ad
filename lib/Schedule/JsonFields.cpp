// Typed, path-tracking reads of JSON values and object fields.
#include "JsonFields.h"

#include "rlg/Support/TextDistance.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace rlg::schedule {

std::string jsonTypeName(const Json &value) {
  switch (value.type()) {
  case Json::value_t::object:
    return "an object";
  case Json::value_t::array:
    return "an array";
  case Json::value_t::string:
    return "a string";
  case Json::value_t::boolean:
    return "a Boolean";
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
    return "an integer";
  case Json::value_t::number_float:
    return "a number with a fraction";
  case Json::value_t::null:
    return "null";
  default:
    return "an unexpected value";
  }
}

namespace {

bool wrongType(const Json &value, const std::string &path, ReadContext &ctx,
               const char *expected) {
  addScheduleError(ctx.errors, path,
                   std::string("expected ") + expected + ", got " +
                       jsonTypeName(value));
  return false;
}

} // namespace

bool readString(const Json &value, const std::string &path, ReadContext &ctx,
                std::string &out) {
  if (!value.is_string())
    return wrongType(value, path, ctx, "a string");
  out = value.get_ref<const std::string &>();
  return true;
}

bool readInt(const Json &value, const std::string &path, ReadContext &ctx,
             int64_t &out) {
  if (value.is_number_unsigned()) {
    uint64_t number = value.get<uint64_t>();
    if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      addScheduleError(ctx.errors, path,
                       "integer " + value.dump() + " is out of range");
      return false;
    }
    out = static_cast<int64_t>(number);
    return true;
  }
  if (value.is_number_integer()) {
    out = value.get<int64_t>();
    return true;
  }
  if (value.is_number_float()) {
    // The parser stores integers beyond 64 bits as floating-point numbers.
    double number = value.get<double>();
    bool integral = std::floor(number) == number;
    addScheduleError(ctx.errors, path,
                     integral && std::fabs(number) >= 9.2e18
                         ? "integer " + value.dump() + " is out of range"
                         : "expected an integer, got " + value.dump());
    return false;
  }
  return wrongType(value, path, ctx, "an integer");
}

bool readDouble(const Json &value, const std::string &path, ReadContext &ctx,
                double &out) {
  if (!value.is_number())
    return wrongType(value, path, ctx, "a number");
  out = value.get<double>();
  return true;
}

bool readBool(const Json &value, const std::string &path, ReadContext &ctx,
              bool &out) {
  if (!value.is_boolean())
    return wrongType(value, path, ctx, "true or false");
  out = value.get<bool>();
  return true;
}

bool readStringList(const Json &value, const std::string &path,
                    ReadContext &ctx, std::vector<std::string> &out) {
  if (!value.is_array())
    return wrongType(value, path, ctx, "an array of strings");
  out.clear();
  bool ok = true;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item;
    if (readString(value[i], indexPath(path, i), ctx, item))
      out.push_back(std::move(item));
    else
      ok = false;
  }
  return ok;
}

bool readIntList(const Json &value, const std::string &path, ReadContext &ctx,
                 std::vector<int64_t> &out) {
  if (!value.is_array())
    return wrongType(value, path, ctx, "an array of integers");
  out.clear();
  bool ok = true;
  for (size_t i = 0; i < value.size(); ++i) {
    int64_t item = 0;
    if (readInt(value[i], indexPath(path, i), ctx, item))
      out.push_back(item);
    else
      ok = false;
  }
  return ok;
}

bool readRankKey(const std::string &key, const std::string &path,
                 ReadContext &ctx, int64_t &out) {
  bool digits = !key.empty() && key.size() <= 9 &&
                std::all_of(key.begin(), key.end(), [](char c) {
                  return std::isdigit(static_cast<unsigned char>(c));
                });
  if (!digits || (key.size() > 1 && key[0] == '0')) {
    addScheduleError(ctx.errors, path, "key '" + key + "' is not a device rank",
                     "ranks are written as decimal integers: \"0\", \"1\"");
    return false;
  }
  out = std::stoll(key);
  return true;
}

FieldReader::FieldReader(const Json &value, std::string path, ReadContext &ctx)
    : path_(std::move(path)), ctx_(ctx) {
  if (value.is_object())
    object_ = &value;
  else
    wrongType(value, path_.empty() ? "(top level)" : path_, ctx_, "an object");
}

bool FieldReader::has(const char *key) const {
  return object_ && object_->contains(key);
}

const Json *FieldReader::field(const char *key, bool required) {
  seen_.push_back(key);
  if (!object_)
    return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) {
    if (required)
      addScheduleError(ctx_.errors, pathOf(key), "missing required field");
    return nullptr;
  }
  return &*it;
}

bool FieldReader::string(const char *key, std::string &out, bool required) {
  const Json *value = field(key, required);
  return value && readString(*value, pathOf(key), ctx_, out);
}

bool FieldReader::integer(const char *key, int64_t &out, bool required) {
  const Json *value = field(key, required);
  return value && readInt(*value, pathOf(key), ctx_, out);
}

bool FieldReader::number(const char *key, double &out, bool required) {
  const Json *value = field(key, required);
  return value && readDouble(*value, pathOf(key), ctx_, out);
}

bool FieldReader::boolean(const char *key, bool &out, bool required) {
  const Json *value = field(key, required);
  return value && readBool(*value, pathOf(key), ctx_, out);
}

bool FieldReader::stringList(const char *key, std::vector<std::string> &out,
                             bool required) {
  const Json *value = field(key, required);
  return value && readStringList(*value, pathOf(key), ctx_, out);
}

bool FieldReader::attrs(const char *key, std::vector<AttrEntry> &out,
                        bool required) {
  const Json *value = field(key, required);
  return value && readAttrObject(*value, pathOf(key), ctx_, out);
}

const Json *FieldReader::array(const char *key, bool required) {
  const Json *value = field(key, required);
  if (value && !value->is_array())
    return wrongType(*value, pathOf(key), ctx_, "an array"), nullptr;
  return value;
}

const Json *FieldReader::object(const char *key, bool required) {
  const Json *value = field(key, required);
  if (value && !value->is_object())
    return wrongType(*value, pathOf(key), ctx_, "an object"), nullptr;
  return value;
}

const Json *FieldReader::any(const char *key, bool required) {
  return field(key, required);
}

void FieldReader::finish() {
  if (!object_ || !ctx_.strictFields)
    return;
  for (const auto &[key, value] : object_->items()) {
    if (std::find(seen_.begin(), seen_.end(), key) != seen_.end())
      continue;
    std::string hint = didYouMean(key, seen_);
    if (hint.empty())
      hint = "the fields here are " + quotedList(seen_, "and");
    addScheduleError(ctx_.errors, fieldPath(path_, key),
                     "unknown field '" + key + "'", hint);
  }
}

} // namespace rlg::schedule
