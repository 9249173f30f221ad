// tokenizer.json's patterns ({"String"} or {"Regex"}) and replacements.
#include "Replacement.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace rlg::runtime::bpe {

std::vector<std::pair<size_t, size_t>>
Pattern::findAll(std::string_view text) const {
  if (regex)
    return regex->findAll(text);
  std::vector<std::pair<size_t, size_t>> matches;
  if (literal.empty())
    return matches; // an empty pattern matches nothing
  size_t pos = text.find(literal);
  while (pos != std::string_view::npos) {
    matches.emplace_back(pos, pos + literal.size());
    pos = text.find(literal, pos + literal.size());
  }
  return matches;
}

Pattern parsePattern(const JsonFile &file, const nlohmann::json &value,
                     const std::string &path) {
  file.requireObject(value, path);
  Pattern pattern;
  if (const nlohmann::json *literal = file.find(value, "String")) {
    if (!literal->is_string())
      file.fail(jsonPath(path, "String"),
                "must be a string, not " + describeJsonType(*literal));
    pattern.literal = literal->get<std::string>();
    return pattern;
  }
  if (const nlohmann::json *regex = file.find(value, "Regex")) {
    if (!regex->is_string())
      file.fail(jsonPath(path, "Regex"),
                "must be a string, not " + describeJsonType(*regex));
    try {
      pattern.regex.emplace(regex->get<std::string>());
    } catch (const std::invalid_argument &e) {
      file.fail(jsonPath(path, "Regex"), e.what());
    }
    return pattern;
  }
  file.fail(path, "must be {\"String\": ...} or {\"Regex\": ...}");
}

std::string Replacement::apply(std::string_view text) const {
  std::string out;
  size_t previous = 0;
  for (const auto &[start, end] : pattern.findAll(text)) {
    out.append(text.substr(previous, start - previous));
    out.append(content);
    previous = end;
  }
  out.append(text.substr(previous));
  return out;
}

Replacement parseReplacement(const JsonFile &file, const nlohmann::json &value,
                             const std::string &path) {
  const nlohmann::json *pattern = file.find(value, "pattern");
  if (!pattern)
    file.fail(path, "has no \"pattern\"");
  return Replacement(parsePattern(file, *pattern, jsonPath(path, "pattern")),
                     file.string(value, "content", path));
}

} // namespace rlg::runtime::bpe
