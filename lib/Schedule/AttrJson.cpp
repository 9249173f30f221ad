// Attribute values to and from JSON.
#include "JsonFields.h"

namespace rlg::schedule {

bool readAttrValue(const Json &value, const std::string &path, ReadContext &ctx,
                   AttrValue &out, int depth) {
  if (depth > kMaxAttrDepth) {
    addScheduleError(ctx.errors, path,
                     "value nested more than " + std::to_string(kMaxAttrDepth) +
                         " levels deep");
    return false;
  }
  switch (value.type()) {
  case Json::value_t::null:
    out = AttrValue();
    return true;
  case Json::value_t::boolean:
    out = AttrValue::ofBool(value.get<bool>());
    return true;
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned: {
    int64_t number = 0;
    if (!readInt(value, path, ctx, number))
      return false;
    out = AttrValue::ofInt(number);
    return true;
  }
  case Json::value_t::number_float:
    out = AttrValue::ofFloat(value.get<double>());
    return true;
  case Json::value_t::string:
    out = AttrValue::ofString(value.get<std::string>());
    return true;
  case Json::value_t::array: {
    std::vector<AttrValue> items(value.size());
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i)
      ok &=
          readAttrValue(value[i], indexPath(path, i), ctx, items[i], depth + 1);
    out = AttrValue::ofList(std::move(items));
    return ok;
  }
  case Json::value_t::object: {
    std::vector<AttrEntry> entries;
    bool ok = true;
    for (const auto &[key, item] : value.items()) {
      AttrEntry entry{key, {}};
      ok &= readAttrValue(item, fieldPath(path, key), ctx, entry.value,
                          depth + 1);
      entries.push_back(std::move(entry));
    }
    out = AttrValue::ofObject(std::move(entries));
    return ok;
  }
  default:
    addScheduleError(ctx.errors, path, "unsupported JSON value");
    return false;
  }
}

bool readAttrObject(const Json &value, const std::string &path,
                    ReadContext &ctx, std::vector<AttrEntry> &out) {
  if (!value.is_object()) {
    addScheduleError(ctx.errors, path,
                     "expected an object, got " + jsonTypeName(value));
    return false;
  }
  AttrValue object;
  if (!readAttrValue(value, path, ctx, object, 1))
    return false;
  out = std::move(object.object);
  return true;
}

Json attrToJson(const AttrValue &value) {
  switch (value.kind) {
  case AttrValue::Kind::Null:
    return Json();
  case AttrValue::Kind::Bool:
    return Json(value.boolValue);
  case AttrValue::Kind::Int:
    return Json(value.intValue);
  case AttrValue::Kind::Float:
    return Json(value.floatValue);
  case AttrValue::Kind::String:
    return Json(value.stringValue);
  case AttrValue::Kind::List: {
    Json list = Json::array();
    for (const AttrValue &item : value.list)
      list.push_back(attrToJson(item));
    return list;
  }
  case AttrValue::Kind::Object:
    return attrObjectToJson(value.object);
  }
  return Json();
}

Json attrObjectToJson(const std::vector<AttrEntry> &entries) {
  Json object = Json::object();
  for (const AttrEntry &entry : entries)
    object[entry.key] = attrToJson(entry.value);
  return object;
}

} // namespace rlg::schedule
