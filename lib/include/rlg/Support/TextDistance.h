// Edit distance and "did you mean" suggestions for misspelt names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rlg {

/// Levenshtein distance between two strings.
unsigned editDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, or "" when none is plausibly meant.
std::string closestMatch(std::string_view word,
                         const std::vector<std::string> &candidates);

/// "did you mean 'x'?" or "" when there is no close candidate.
std::string didYouMean(std::string_view word,
                       const std::vector<std::string> &candidates);

/// Joins words as "'a', 'b' or 'c'" (or with another last conjunction).
std::string quotedList(const std::vector<std::string> &words,
                       const char *conjunction = "or");

} // namespace rlg
