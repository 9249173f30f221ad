// Rule-based rewards on response strings, and weighted sums of rewards.
//
// A batch reward is a sequence-level tensor [N] (float32), one value per
// response, in the rollout order of Masked.h.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime {

/// `text` without leading and trailing whitespace (space, \t, \n, \r, \f,
/// \v).
std::string_view trimWhitespace(std::string_view text);

/// 1 if the response equals the answer after trimming whitespace from both,
/// else 0.
double exactMatchReward(std::string_view response, std::string_view answer);

/// exactMatchReward for each (response, answer) pair: [N].
at::Tensor exactMatchRewards(const std::vector<std::string> &responses,
                             const std::vector<std::string> &answers);

/// The final answer of a solution: the contents of its last \boxed{...},
/// else the text after its last "####" (GSM8K), else its last number;
/// "" when it has none. Numbers lose thousands separators and a trailing
/// period.
std::string extractMathAnswer(std::string_view text);

/// 1 if the response's final answer (extractMathAnswer) equals the answer:
/// a bare value, or a whole solution whose \boxed{} or "####" marks it.
/// Compared numerically, within a
/// relative 1e-6, when both are numbers ("1/2" and "0.5" are equal), else
/// as text without spaces and dollar signs. 0 when the response has none.
double mathAnswerReward(std::string_view response, std::string_view answer);

/// mathAnswerReward for each (response, answer) pair: [N].
at::Tensor mathAnswerRewards(const std::vector<std::string> &responses,
                             const std::vector<std::string> &answers);

/// A compiled format check: 1 if the pattern matches somewhere in the
/// response (std::regex_search, ECMAScript syntax; anchor with ^ and $ to
/// match the whole response), else 0. The response is not trimmed.
class FormatReward {
public:
  /// Throws std::invalid_argument when the pattern is not a valid regex.
  explicit FormatReward(const std::string &pattern);
  double operator()(std::string_view response) const;
  /// One value per response: [N].
  at::Tensor operator()(const std::vector<std::string> &responses) const;
  const std::string &pattern() const { return source; }

private:
  std::string source;
  std::regex regex;
};

/// -weight for every token beyond target: -weight * max(0, tokens - target).
/// target > 0, weight >= 0.
double lengthPenaltyReward(int64_t numTokens, int64_t target, double weight);

/// lengthPenaltyReward for lengths [N] (integer or real): [N], float32 (or
/// the lengths' dtype when floating).
at::Tensor lengthPenaltyRewards(const at::Tensor &lengths, int64_t target,
                                double weight);

/// sum_k weights[k] * rewards[k]; every reward has the same shape [N], and
/// there is one weight per reward (at least one).
at::Tensor weightedRewardSum(const std::vector<at::Tensor> &rewards,
                             const std::vector<double> &weights);

} // namespace rlg::runtime
