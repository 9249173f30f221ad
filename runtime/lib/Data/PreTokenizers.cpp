// tokenizer.json's pre-tokenizers: normalized text cut into pieces.
#include "PreTokenizers.h"

#include "ByteLevelTable.h"
#include "IcuRegex.h"
#include "Replacement.h"
#include "UnicodeText.h"
#include "Utf8.h"

#include <nlohmann/json.hpp>

namespace rlg::runtime::bpe {
namespace {

constexpr const char *kSupported =
    "ByteLevel, Split, Digits, Metaspace, Sequence";

/// GPT-2's pattern, which ByteLevel splits with when use_regex is true.
constexpr const char *kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

const Regex &gpt2Regex() {
  static const Regex regex(kGpt2Pattern);
  return regex;
}

class ByteLevelPreTokenizer : public PreTokenizer {
public:
  ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
      : addPrefixSpace(addPrefixSpace), useRegex(useRegex) {
    if (useRegex)
      gpt2Regex(); // compile it now, where errors are easy to place
  }

  void apply(std::vector<Piece> &pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (Piece &piece : pieces) {
      if (addPrefixSpace && piece.text.compare(0, 1, " ") != 0)
        piece.text.insert(0, " ");
      if (useRegex)
        splitPiece(
            piece,
            coverWithSpans(piece.text.size(), gpt2Regex().findAll(piece.text)),
            SplitBehavior::Isolated, out);
      else
        out.push_back(std::move(piece));
    }
    const ByteLevelTable &table = ByteLevelTable::get();
    for (Piece &piece : out)
      piece.text = table.encode(piece.text);
    pieces = std::move(out);
  }

private:
  bool addPrefixSpace;
  bool useRegex;
};

class SplitPreTokenizer : public PreTokenizer {
public:
  SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern(std::move(pattern)), behavior(behavior), invert(invert) {}

  void apply(std::vector<Piece> &pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (const Piece &piece : pieces) {
      std::vector<Span> spans =
          coverWithSpans(piece.text.size(), pattern.findAll(piece.text));
      if (invert)
        for (Span &span : spans)
          span.isMatch = !span.isMatch;
      splitPiece(piece, std::move(spans), behavior, out);
    }
    pieces = std::move(out);
  }

private:
  Pattern pattern;
  SplitBehavior behavior;
  bool invert;
};

class DigitsPreTokenizer : public PreTokenizer {
public:
  explicit DigitsPreTokenizer(bool individualDigits)
      : individualDigits(individualDigits) {}

  void apply(std::vector<Piece> &pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (const Piece &piece : pieces)
      splitPiece(piece,
                 coverWithSpans(piece.text.size(),
                                matchCodePoints(piece.text, isNumeric)),
                 individualDigits ? SplitBehavior::Isolated
                                  : SplitBehavior::Contiguous,
                 out);
    pieces = std::move(out);
  }

private:
  bool individualDigits;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePreTokenizer : public PreTokenizer {
public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme,
                        bool split)
      : replacement(std::move(replacement)), scheme(scheme), split(split) {
    size_t pos = 0;
    nextCodePoint(this->replacement, pos, replacementCodePoint);
  }

  void apply(std::vector<Piece> &pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (Piece &piece : pieces) {
      std::string replaced;
      replaced.reserve(piece.text.size() + replacement.size());
      for (char c : piece.text) {
        if (c == ' ')
          replaced += replacement;
        else
          replaced.push_back(c);
      }
      piece.text = std::move(replaced);
      bool startsWithReplacement =
          piece.text.compare(0, replacement.size(), replacement) == 0;
      if (!startsWithReplacement &&
          (scheme == PrependScheme::Always ||
           (scheme == PrependScheme::First && piece.atStart)))
        piece.text.insert(0, replacement);
      if (!split) {
        out.push_back(std::move(piece));
        continue;
      }
      char32_t target = replacementCodePoint;
      splitPiece(piece,
                 coverWithSpans(piece.text.size(),
                                matchCodePoints(piece.text,
                                                [target](char32_t c) {
                                                  return c == target;
                                                })),
                 SplitBehavior::MergedWithNext, out);
    }
    pieces = std::move(out);
  }

private:
  std::string replacement;
  char32_t replacementCodePoint = 0;
  PrependScheme scheme;
  bool split;
};

class SequencePreTokenizer : public PreTokenizer {
public:
  explicit SequencePreTokenizer(
      std::vector<std::unique_ptr<PreTokenizer>> parts)
      : parts(std::move(parts)) {}
  void apply(std::vector<Piece> &pieces) const override {
    for (const auto &part : parts)
      part->apply(pieces);
  }

private:
  std::vector<std::unique_ptr<PreTokenizer>> parts;
};

SplitBehavior parseBehavior(const JsonFile &file, const nlohmann::json &value,
                            const std::string &path) {
  std::string behavior = file.string(value, "behavior", path);
  if (behavior == "Isolated")
    return SplitBehavior::Isolated;
  if (behavior == "Removed")
    return SplitBehavior::Removed;
  if (behavior == "MergedWithPrevious")
    return SplitBehavior::MergedWithPrevious;
  if (behavior == "MergedWithNext")
    return SplitBehavior::MergedWithNext;
  if (behavior == "Contiguous")
    return SplitBehavior::Contiguous;
  file.unsupported(jsonPath(path, "behavior"), behavior,
                   "Isolated, Removed, MergedWithPrevious, MergedWithNext, "
                   "Contiguous");
}

PrependScheme parsePrependScheme(const JsonFile &file,
                                 const nlohmann::json &value,
                                 const std::string &path) {
  std::optional<std::string> scheme =
      file.optionalString(value, "prepend_scheme", path);
  // Files older than prepend_scheme say add_prefix_space.
  if (!file.boolean(value, "add_prefix_space", path, true))
    return PrependScheme::Never;
  if (!scheme || *scheme == "always")
    return PrependScheme::Always;
  if (*scheme == "first")
    return PrependScheme::First;
  if (*scheme == "never")
    return PrependScheme::Never;
  file.unsupported(jsonPath(path, "prepend_scheme"), *scheme,
                   "always, first, never");
}

} // namespace

std::unique_ptr<PreTokenizer> parsePreTokenizer(const JsonFile &file,
                                                const nlohmann::json &value,
                                                const std::string &path) {
  if (value.is_null())
    return nullptr;
  std::string type = file.type(value, path);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(
        file.boolean(value, "add_prefix_space", path, true),
        file.boolean(value, "use_regex", path, true));
  if (type == "Split") {
    const nlohmann::json *pattern = file.find(value, "pattern");
    if (!pattern)
      file.fail(path, "has no \"pattern\"");
    return std::make_unique<SplitPreTokenizer>(
        parsePattern(file, *pattern, jsonPath(path, "pattern")),
        parseBehavior(file, value, path),
        file.boolean(value, "invert", path, false));
  }
  if (type == "Digits")
    return std::make_unique<DigitsPreTokenizer>(
        file.boolean(value, "individual_digits", path, false));
  if (type == "Metaspace")
    return std::make_unique<MetaspacePreTokenizer>(
        file.character(value, "replacement", path),
        parsePrependScheme(file, value, path),
        file.boolean(value, "split", path, true));
  if (type == "Sequence")
    return std::make_unique<SequencePreTokenizer>(
        parseSequenceParts<PreTokenizer>(file, value, path, "pretokenizers",
                                         parsePreTokenizer));
  file.unsupported(jsonPath(path, "type"), type, kSupported);
}

} // namespace rlg::runtime::bpe
