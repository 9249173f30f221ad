// A JSON-like value for hyper-parameters and arguments in a schedule, kept
// free of any JSON library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::schedule {

struct AttrEntry;

/// null, a Bool, an Int, a Float, a String, a list or an object whose keys
/// keep their order.
struct AttrValue {
  enum class Kind { Null, Bool, Int, Float, String, List, Object };
  Kind kind = Kind::Null;
  bool boolValue = false;
  int64_t intValue = 0;
  double floatValue = 0;
  std::string stringValue;
  std::vector<AttrValue> list;
  std::vector<AttrEntry> object;

  static AttrValue ofBool(bool value);
  static AttrValue ofInt(int64_t value);
  static AttrValue ofFloat(double value);
  static AttrValue ofString(std::string value);
  static AttrValue ofList(std::vector<AttrValue> values);
  static AttrValue ofObject(std::vector<AttrEntry> entries);

  /// The entry named `key` of an object, or nullptr.
  const AttrValue *find(const std::string &key) const;
  /// An Int or a Float; asDouble() gives either as a double.
  bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
  double asDouble() const;
};

struct AttrEntry {
  std::string key;
  AttrValue value;
};

bool operator==(const AttrValue &a, const AttrValue &b);
inline bool operator!=(const AttrValue &a, const AttrValue &b) {
  return !(a == b);
}
bool operator==(const AttrEntry &a, const AttrEntry &b);
inline bool operator!=(const AttrEntry &a, const AttrEntry &b) {
  return !(a == b);
}

/// The entry named `key` of a list of entries, or nullptr.
const AttrValue *findAttr(const std::vector<AttrEntry> &entries,
                          const std::string &key);

} // namespace rlg::schedule
