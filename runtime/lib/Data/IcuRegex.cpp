// tokenizer.json's (Oniguruma) regular expressions, run with ICU.
#include "IcuRegex.h"

#include "Utf8.h"

#include <stdexcept>

#ifdef RLG_HAVE_ICU
#include <unicode/regex.h>
#include <unicode/unistr.h>
#endif

namespace rlg::runtime::bpe {

std::string translateOnigurumaPattern(const std::string &pattern) {
  // Oniguruma's classes (Unicode case) where ICU's differ; inside [...]
  // the class's contents are written without brackets.
  constexpr const char *kSpace = "\\p{White_Space}";
  constexpr const char *kNotSpace = "\\P{White_Space}";
  constexpr const char *kWord = "\\p{L}\\p{M}\\p{N}\\p{Pc}";
  constexpr const char *kHex = "0-9a-fA-F";
  std::string out;
  out.reserve(pattern.size() + 16);
  int classDepth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool inClass = classDepth > 0;
    if (c == '[') {
      ++classDepth;
      out.push_back(c);
      continue;
    }
    if (c == ']' && inClass) {
      --classDepth;
      out.push_back(c);
      continue;
    }
    if (c == '.' && !inClass) { // any character but a newline
      out += "[^\\n]";
      continue;
    }
    if (c != '\\' || i + 1 == pattern.size()) {
      out.push_back(c);
      continue;
    }
    char next = pattern[++i];
    auto add = [&](const std::string &set, bool negated) {
      if (!negated)
        out += inClass ? set : "[" + set + "]";
      else
        out += "[^" + set + "]";
    };
    switch (next) {
    case 's':
      out += kSpace;
      break;
    case 'S':
      out += kNotSpace;
      break;
    case 'w':
      add(kWord, false);
      break;
    case 'W':
      add(kWord, true);
      break;
    case 'h':
      add(kHex, false);
      break;
    case 'H':
      add(kHex, true);
      break;
    default:
      out.push_back('\\');
      out.push_back(next);
    }
  }
  return out;
}

#ifdef RLG_HAVE_ICU

struct Regex::Compiled {
  std::unique_ptr<icu::RegexPattern> pattern;
};

namespace {

/// UTF-8 text as UTF-16, with the byte offset of every UTF-16 index (and of
/// the end).
struct Utf16Text {
  icu::UnicodeString text;
  std::vector<uint32_t> byteOffset;

  explicit Utf16Text(std::string_view utf8) {
    byteOffset.reserve(utf8.size() + 1);
    size_t pos = 0;
    while (pos < utf8.size()) {
      size_t start = pos;
      char32_t c;
      if (!nextCodePoint(utf8, pos, c)) { // callers pass valid UTF-8
        c = 0xFFFD;
        pos = start + 1;
      }
      text.append(static_cast<UChar32>(c));
      byteOffset.push_back(static_cast<uint32_t>(start));
      if (c >= 0x10000)
        byteOffset.push_back(static_cast<uint32_t>(start));
    }
    byteOffset.push_back(static_cast<uint32_t>(utf8.size()));
  }
};

[[noreturn]] void icuFailure(const char *what, UErrorCode status) {
  throw std::invalid_argument(std::string("regular expression ") + what + ": " +
                              u_errorName(status));
}

} // namespace

Regex::Regex(const std::string &pattern) {
  std::string translated = translateOnigurumaPattern(pattern);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parseError{};
  auto compiledPattern = std::make_shared<Compiled>();
  compiledPattern->pattern.reset(icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(translated), 0, parseError, status));
  if (U_FAILURE(status) || !compiledPattern->pattern)
    throw std::invalid_argument(
        "cannot compile " + quote(pattern) + ": " + u_errorName(status) +
        (parseError.offset >= 0
             ? " at offset " + std::to_string(parseError.offset)
             : std::string()));
  compiled = std::move(compiledPattern);
}

std::vector<std::pair<size_t, size_t>>
Regex::findAll(std::string_view text) const {
  std::vector<std::pair<size_t, size_t>> matches;
  if (text.empty())
    return matches;
  Utf16Text utf16(text);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(
      compiled->pattern->matcher(utf16.text, status));
  if (U_FAILURE(status))
    icuFailure("matcher", status);
  while (matcher->find(status)) {
    int32_t start = matcher->start(status);
    int32_t end = matcher->end(status);
    if (U_FAILURE(status))
      break;
    matches.emplace_back(utf16.byteOffset[start], utf16.byteOffset[end]);
  }
  if (U_FAILURE(status))
    icuFailure("search", status);
  return matches;
}

#else // !RLG_HAVE_ICU

struct Regex::Compiled {};

Regex::Regex(const std::string &) {
  throw std::invalid_argument(
      "the runtime was built without ICU, which tokenizer.json files need");
}

std::vector<std::pair<size_t, size_t>> Regex::findAll(std::string_view) const {
  return {};
}

#endif

} // namespace rlg::runtime::bpe
