// tokenizer.json's (Oniguruma) regular expressions, run with ICU.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rlg::runtime::bpe {

/// A compiled pattern. Character classes keep Oniguruma's meanings (ICU's
/// own `\s` leaves out U+000B and U+0085, for one); `\p{L}`, `\p{N}`,
/// `(?i:...)` and lookahead work as written.
class Regex {
public:
  /// Throws std::invalid_argument with ICU's reason when the pattern does
  /// not compile.
  explicit Regex(const std::string &pattern);

  /// The non-overlapping matches, left to right, as byte ranges of `text`
  /// (valid UTF-8). An empty match is reported and the search goes on one
  /// code point further.
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;

private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled;
};

/// The ICU spelling of an Oniguruma pattern: the Unicode meanings of
/// `\s`, `\S`, `\w`, `\W` (Letter, Mark, Number, Connector_Punctuation),
/// `\h`, `\H` (hex digits) and `.` (anything but a newline); the rest as
/// it is.
std::string translateOnigurumaPattern(const std::string &pattern);

} // namespace rlg::runtime::bpe
