// Field paths into JSON records: names and list indices joined by dots.
#include "FieldPath.h"

#include "rlg/Support/TextDistance.h"

#include <cctype>

namespace rlg::data {

std::string jsonTypeName(const nlohmann::json &value) {
  switch (value.type()) {
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
  case nlohmann::json::value_t::number_float:
    return "a number";
  case nlohmann::json::value_t::array:
    return "a list";
  case nlohmann::json::value_t::object:
    return "an object";
  case nlohmann::json::value_t::boolean:
    return value.get<bool>() ? "true" : "false";
  default:
    return "null";
  }
}

namespace {

bool isIndex(const std::string &part) {
  if (part.empty() || part.size() > 9)
    return false;
  for (char c : part)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

/// The keys of an object, for hints.
std::vector<std::string> keysOf(const nlohmann::json &object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it)
    keys.push_back(it.key());
  return keys;
}

} // namespace

const nlohmann::json *findField(const nlohmann::json &record,
                                const std::string &path,
                                RecordProblem &problem) {
  if (record.is_object()) {
    auto whole = record.find(path);
    if (whole != record.end())
      return &*whole;
  }
  const nlohmann::json *at = &record;
  std::string walked; // the path up to `at`
  size_t begin = 0;
  while (true) {
    size_t dot = path.find('.', begin);
    std::string part = path.substr(
        begin, dot == std::string::npos ? std::string::npos : dot - begin);
    bool absent = true;
    std::string why; // more on why, when the step is not a plain missing key
    std::string hint;
    if (at->is_object()) {
      auto it = at->find(part);
      if (it != at->end()) {
        at = &*it;
        absent = false;
      } else {
        std::vector<std::string> keys = keysOf(*at);
        if (!walked.empty())
          why = "\"" + walked + "\" has no \"" + part + "\"";
        hint = didYouMean(part, keys);
        if (hint.empty())
          hint = keys.empty() ? (walked.empty() ? std::string("the record")
                                                : "\"" + walked + "\"") +
                                    " has no fields"
                 : walked.empty() ? "its fields are " + quotedList(keys, "and")
                                  : "the fields of \"" + walked + "\" are " +
                                        quotedList(keys, "and");
      }
    } else if (at->is_array()) {
      if (!isIndex(part)) {
        why = "\"" + walked + "\" is a list, and \"" + part +
              "\" is not an index";
        hint = "list items are numbered from 0, as in \"" + walked + ".0\"";
      } else if (std::stoul(part) >= at->size()) {
        why = "\"" + walked + "\" has " + std::to_string(at->size()) +
              (at->size() == 1 ? " item" : " items");
        hint = "list items are numbered from 0";
      } else {
        at = &(*at)[std::stoul(part)];
        absent = false;
      }
    } else {
      why = "\"" + walked + "\" is " + jsonTypeName(*at);
      hint = "a dotted path steps into objects and lists";
    }
    if (absent) {
      problem.missing = true;
      problem.field = path;
      problem.message = "the record has no field \"" + path + "\"";
      if (!why.empty())
        problem.message += " (" + why + ")";
      problem.hint = hint;
      return nullptr;
    }
    walked += (walked.empty() ? "" : ".") + part;
    if (dot == std::string::npos)
      return at;
    begin = dot + 1;
  }
}

} // namespace rlg::data
