// The math-answer reward: a solution's final answer against the reference.
#include "rlg/Runtime/Algorithms/Rewards.h"

#include "Checks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

namespace rlg::runtime {
using namespace detail;

namespace {

/// The contents of the last \boxed{...} (braces balanced), if any.
std::optional<std::string> lastBoxed(std::string_view text) {
  size_t at = text.rfind("\\boxed{");
  if (at == std::string_view::npos)
    return std::nullopt;
  size_t begin = at + 7, depth = 1;
  for (size_t i = begin; i < text.size(); ++i) {
    if (text[i] == '{')
      ++depth;
    else if (text[i] == '}' && --depth == 0)
      return std::string(text.substr(begin, i - begin));
  }
  return std::nullopt; // unclosed: no answer
}

/// The last number: an optional sign, digits with optional thousands
/// commas, an optional fraction or decimal part.
std::optional<std::string> lastNumber(std::string_view text) {
  std::optional<std::string> found;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t begin = i;
    // A minus sign, not a minus between operands ("7-3").
    if (begin > 0 && text[begin - 1] == '-' &&
        (begin == 1 ||
         !std::isalnum(static_cast<unsigned char>(text[begin - 2]))))
      --begin;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) ||
            ((text[i] == ',' || text[i] == '.' || text[i] == '/') &&
             i + 1 < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[i + 1])))))
      ++i;
    found = std::string(text.substr(begin, i - begin));
  }
  return found;
}

/// Without spaces, dollar signs, thousands commas and a trailing period.
std::string normalize(std::string_view text) {
  std::string out;
  for (char c : trimWhitespace(text))
    if (c != ' ' && c != '$' && c != ',')
      out += c;
  while (!out.empty() && out.back() == '.')
    out.pop_back();
  return out;
}

/// The value of "12", "-3.5" or "1/2", else nullopt.
std::optional<double> numberValue(const std::string &text) {
  size_t slash = text.find('/');
  auto parse = [](const std::string &part) -> std::optional<double> {
    if (part.empty())
      return std::nullopt;
    char *end = nullptr;
    double v = std::strtod(part.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v))
      return std::nullopt;
    return v;
  };
  if (slash == std::string::npos)
    return parse(text);
  auto numerator = parse(text.substr(0, slash));
  auto denominator = parse(text.substr(slash + 1));
  if (!numerator || !denominator || *denominator == 0)
    return std::nullopt;
  return *numerator / *denominator;
}

} // namespace

namespace {

/// The contents of the last \boxed{} or what follows the last "####".
std::optional<std::string> markedAnswer(std::string_view text) {
  if (auto boxed = lastBoxed(text))
    return normalize(*boxed);
  size_t hashes = text.rfind("####");
  if (hashes != std::string_view::npos)
    return normalize(text.substr(hashes + 4));
  return std::nullopt;
}

} // namespace

std::string extractMathAnswer(std::string_view text) {
  if (auto marked = markedAnswer(text))
    return *marked;
  if (auto number = lastNumber(text))
    return normalize(*number);
  return "";
}

double mathAnswerReward(std::string_view response, std::string_view answer) {
  std::string got = extractMathAnswer(response);
  // The reference is a bare value ("x + 1", "72") unless it marks its
  // answer (a whole solution).
  std::string want = markedAnswer(answer).value_or(normalize(answer));
  if (got.empty())
    return 0.0;
  std::optional<double> a = numberValue(got), b = numberValue(want);
  if (a && b)
    return std::fabs(*a - *b) <= 1e-6 * std::max(1.0, std::fabs(*b)) ? 1.0
                                                                     : 0.0;
  return got == want ? 1.0 : 0.0;
}

at::Tensor mathAnswerRewards(const std::vector<std::string> &responses,
                             const std::vector<std::string> &answers) {
  return pairRewards("mathAnswerRewards", responses, answers, mathAnswerReward);
}

} // namespace rlg::runtime
