// tokenizer.json's patterns ({"String"} or {"Regex"}) and replacements.
#pragma once

#include "IcuRegex.h"
#include "TokenizerJson.h"

#include <optional>
#include <string>
#include <string_view>

namespace rlg::runtime::bpe {

/// tokenizer.json's pattern object: a literal string or a regex.
struct Pattern {
  std::string literal; // when !regex
  std::optional<Regex> regex;

  /// The non-overlapping matches, left to right, as byte ranges.
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;
};

/// Reads {"String": "..."} or {"Regex": "..."} at `path`.
Pattern parsePattern(const JsonFile &file, const nlohmann::json &value,
                     const std::string &path);

class Replacement {
public:
  Replacement(Pattern pattern, std::string content)
      : pattern(std::move(pattern)), content(std::move(content)) {}
  /// Every match replaced by the content.
  std::string apply(std::string_view text) const;

private:
  Pattern pattern;
  std::string content;
};

/// Reads "pattern" and "content" of the object at `path`.
Replacement parseReplacement(const JsonFile &file, const nlohmann::json &value,
                             const std::string &path);

} // namespace rlg::runtime::bpe
