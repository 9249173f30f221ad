// Typed, path-tracking access to the fields of parsed JSON, reporting wrong
// types, missing fields and unknown fields as schedule errors (private to
// lib/Schedule).
#pragma once

#include "SchedulePath.h"
#include "rlg/Schedule/AttrValue.h"
#include "rlg/Schedule/ScheduleError.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::schedule {

using Json = nlohmann::ordered_json;

/// Where errors go, and whether unknown fields are errors (they are not in a
/// file of a newer minor version, which may add fields).
struct ReadContext {
  std::vector<ScheduleError> &errors;
  bool strictFields = true;
};

/// "an object", "a string", ... for messages.
std::string jsonTypeName(const Json &value);

// One value: false (with an error at `path`) when it has the wrong type.
bool readString(const Json &value, const std::string &path, ReadContext &ctx,
                std::string &out);
bool readInt(const Json &value, const std::string &path, ReadContext &ctx,
             int64_t &out);
bool readDouble(const Json &value, const std::string &path, ReadContext &ctx,
                double &out);
bool readBool(const Json &value, const std::string &path, ReadContext &ctx,
              bool &out);
bool readStringList(const Json &value, const std::string &path,
                    ReadContext &ctx, std::vector<std::string> &out);
bool readIntList(const Json &value, const std::string &path, ReadContext &ctx,
                 std::vector<int64_t> &out);
/// Attribute values nest at most this deep.
inline constexpr int kMaxAttrDepth = 32;
bool readAttrValue(const Json &value, const std::string &path, ReadContext &ctx,
                   AttrValue &out, int depth = 0);
/// An object's entries, in order.
bool readAttrObject(const Json &value, const std::string &path,
                    ReadContext &ctx, std::vector<AttrEntry> &out);
/// A rank written as an object key: "0", "12".
bool readRankKey(const std::string &key, const std::string &path,
                 ReadContext &ctx, int64_t &out);

Json attrToJson(const AttrValue &value);
Json attrObjectToJson(const std::vector<AttrEntry> &entries);

/// The fields of one JSON object. Each getter reports a missing required
/// field or a wrong type and returns false; finish() reports the fields no
/// getter asked for.
class FieldReader {
public:
  /// Reports an error when `value` is not an object; the getters then return
  /// false without further errors.
  FieldReader(const Json &value, std::string path, ReadContext &ctx);

  bool ok() const { return object_ != nullptr; }
  const std::string &path() const { return path_; }
  std::string pathOf(const char *key) const { return fieldPath(path_, key); }

  bool has(const char *key) const;
  bool string(const char *key, std::string &out, bool required = true);
  bool integer(const char *key, int64_t &out, bool required = true);
  bool number(const char *key, double &out, bool required = true);
  bool boolean(const char *key, bool &out, bool required = true);
  bool stringList(const char *key, std::vector<std::string> &out,
                  bool required = true);
  bool attrs(const char *key, std::vector<AttrEntry> &out,
             bool required = true);
  /// The raw value when present and of the getter's JSON type (any type for
  /// any()), else nullptr.
  const Json *array(const char *key, bool required = true);
  const Json *object(const char *key, bool required = true);
  const Json *any(const char *key, bool required = true);

  void finish();

private:
  const Json *field(const char *key, bool required);
  const Json *object_ = nullptr;
  std::string path_;
  ReadContext &ctx_;
  std::vector<std::string> seen_;
};

} // namespace rlg::schedule
