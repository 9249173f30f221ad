// Constructors, look-up and equality of attribute values.
#include "rlg/Schedule/AttrValue.h"

#include <utility>

namespace rlg::schedule {

AttrValue AttrValue::ofBool(bool value) {
  AttrValue v;
  v.kind = Kind::Bool;
  v.boolValue = value;
  return v;
}

AttrValue AttrValue::ofInt(int64_t value) {
  AttrValue v;
  v.kind = Kind::Int;
  v.intValue = value;
  return v;
}

AttrValue AttrValue::ofFloat(double value) {
  AttrValue v;
  v.kind = Kind::Float;
  v.floatValue = value;
  return v;
}

AttrValue AttrValue::ofString(std::string value) {
  AttrValue v;
  v.kind = Kind::String;
  v.stringValue = std::move(value);
  return v;
}

AttrValue AttrValue::ofList(std::vector<AttrValue> values) {
  AttrValue v;
  v.kind = Kind::List;
  v.list = std::move(values);
  return v;
}

AttrValue AttrValue::ofObject(std::vector<AttrEntry> entries) {
  AttrValue v;
  v.kind = Kind::Object;
  v.object = std::move(entries);
  return v;
}

const AttrValue *AttrValue::find(const std::string &key) const {
  return kind == Kind::Object ? findAttr(object, key) : nullptr;
}

double AttrValue::asDouble() const {
  if (kind == Kind::Int)
    return static_cast<double>(intValue);
  return kind == Kind::Float ? floatValue : 0.0;
}

const AttrValue *findAttr(const std::vector<AttrEntry> &entries,
                          const std::string &key) {
  for (const AttrEntry &entry : entries)
    if (entry.key == key)
      return &entry.value;
  return nullptr;
}

bool operator==(const AttrValue &a, const AttrValue &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case AttrValue::Kind::Null:
    return true;
  case AttrValue::Kind::Bool:
    return a.boolValue == b.boolValue;
  case AttrValue::Kind::Int:
    return a.intValue == b.intValue;
  case AttrValue::Kind::Float:
    return a.floatValue == b.floatValue;
  case AttrValue::Kind::String:
    return a.stringValue == b.stringValue;
  case AttrValue::Kind::List:
    return a.list == b.list;
  case AttrValue::Kind::Object:
    return a.object == b.object;
  }
  return false;
}

bool operator==(const AttrEntry &a, const AttrEntry &b) {
  return a.key == b.key && a.value == b.value;
}

} // namespace rlg::schedule
