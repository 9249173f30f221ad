// Pieces of text between stages, and the five ways to split them.
#include "TextPieces.h"

namespace rlg::runtime::bpe {

std::vector<Span>
coverWithSpans(size_t textSize,
               const std::vector<std::pair<size_t, size_t>> &matches) {
  std::vector<Span> spans;
  if (textSize == 0) {
    spans.push_back({0, 0, false});
    return spans;
  }
  spans.reserve(matches.size() * 2 + 1);
  size_t previous = 0;
  for (const auto &[start, end] : matches) {
    if (previous != start)
      spans.push_back({previous, start, false});
    spans.push_back({start, end, true});
    previous = end;
  }
  if (previous != textSize)
    spans.push_back({previous, textSize, false});
  return spans;
}

void splitPiece(const Piece &piece, std::vector<Span> spans,
                SplitBehavior behavior, std::vector<Piece> &out) {
  // Each result: a range, and whether it is dropped.
  std::vector<Span> cuts;
  cuts.reserve(spans.size());
  switch (behavior) {
  case SplitBehavior::Isolated:
    for (const Span &span : spans)
      cuts.push_back({span.begin, span.end, false});
    break;
  case SplitBehavior::Removed:
    cuts = spans; // matches are dropped
    break;
  case SplitBehavior::Contiguous: {
    bool previousMatch = false;
    for (const Span &span : spans) {
      if (span.isMatch == previousMatch && !cuts.empty())
        cuts.back().end = span.end;
      else
        cuts.push_back({span.begin, span.end, false});
      previousMatch = span.isMatch;
    }
    break;
  }
  case SplitBehavior::MergedWithPrevious: {
    bool previousMatch = false;
    for (const Span &span : spans) {
      if (span.isMatch && !previousMatch && !cuts.empty())
        cuts.back().end = span.end;
      else
        cuts.push_back({span.begin, span.end, false});
      previousMatch = span.isMatch;
    }
    break;
  }
  case SplitBehavior::MergedWithNext: {
    bool previousMatch = false;
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
      if (it->isMatch && !previousMatch && !cuts.empty())
        cuts.back().begin = it->begin;
      else
        cuts.push_back({it->begin, it->end, false});
      previousMatch = it->isMatch;
    }
    std::vector<Span> reversed(cuts.rbegin(), cuts.rend());
    cuts = std::move(reversed);
    break;
  }
  }
  for (const Span &cut : cuts) {
    if (cut.isMatch || cut.end <= cut.begin)
      continue;
    out.push_back({piece.text.substr(cut.begin, cut.end - cut.begin),
                   piece.atStart && cut.begin == 0});
  }
}

} // namespace rlg::runtime::bpe
