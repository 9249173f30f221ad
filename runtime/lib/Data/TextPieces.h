// Pieces of text between stages, and the five ways to split them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rlg::runtime::bpe {

/// A piece of (normalized) text. `atStart` says it begins at offset 0 of
/// the input (Metaspace's prepend_scheme "first" asks).
struct Piece {
  std::string text;
  bool atStart = false;
};

enum class SplitBehavior {
  Removed,
  Isolated,
  MergedWithPrevious,
  MergedWithNext,
  Contiguous
};

/// A span of a piece's text, and whether the pattern matched it.
struct Span {
  size_t begin = 0;
  size_t end = 0;
  bool isMatch = false;
};

/// Spans covering the whole text: the matches (byte ranges, in order) and
/// the gaps between them. Empty text gives one empty gap.
std::vector<Span>
coverWithSpans(size_t textSize,
               const std::vector<std::pair<size_t, size_t>> &matches);

/// The matches of a code point predicate: each code point it accepts is
/// one match.
template <typename Predicate>
std::vector<std::pair<size_t, size_t>> matchCodePoints(std::string_view text,
                                                       Predicate predicate);

/// Cuts `piece` at `spans` the way `behavior` says and appends the
/// non-empty results to `out`.
void splitPiece(const Piece &piece, std::vector<Span> spans,
                SplitBehavior behavior, std::vector<Piece> &out);

} // namespace rlg::runtime::bpe

#include "Utf8.h"

template <typename Predicate>
std::vector<std::pair<size_t, size_t>>
rlg::runtime::bpe::matchCodePoints(std::string_view text, Predicate predicate) {
  std::vector<std::pair<size_t, size_t>> matches;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    char32_t c;
    if (!nextCodePoint(text, pos, c)) {
      pos = start + 1;
      continue;
    }
    if (predicate(c))
      matches.emplace_back(start, pos);
  }
  return matches;
}
