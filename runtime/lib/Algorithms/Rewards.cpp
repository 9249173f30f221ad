// Rule-based rewards on response strings, and weighted sums of rewards.
#include "rlg/Runtime/Algorithms/Rewards.h"

#include "Checks.h"

#include <algorithm>
#include <cmath>

namespace rlg::runtime {
using namespace detail;

namespace {
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

at::Tensor toTensor(const std::vector<float> &values) {
  return at::tensor(at::ArrayRef<float>(values), at::kFloat);
}
} // namespace

std::string_view trimWhitespace(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && isSpace(text[begin]))
    ++begin;
  while (end > begin && isSpace(text[end - 1]))
    --end;
  return text.substr(begin, end - begin);
}

double exactMatchReward(std::string_view response, std::string_view answer) {
  return trimWhitespace(response) == trimWhitespace(answer) ? 1.0 : 0.0;
}

at::Tensor
detail::pairRewards(const char *fn, const std::vector<std::string> &responses,
                    const std::vector<std::string> &answers,
                    double (*reward)(std::string_view, std::string_view)) {
  if (responses.size() != answers.size())
    fail(fn, "responses has " + std::to_string(responses.size()) +
                 " entries but answers has " + std::to_string(answers.size()) +
                 "; they must match");
  std::vector<float> values;
  values.reserve(responses.size());
  for (size_t i = 0; i < responses.size(); ++i)
    values.push_back(static_cast<float>(reward(responses[i], answers[i])));
  return toTensor(values);
}

at::Tensor exactMatchRewards(const std::vector<std::string> &responses,
                             const std::vector<std::string> &answers) {
  return pairRewards("exactMatchRewards", responses, answers, exactMatchReward);
}

namespace {
std::regex compile(const std::string &pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error &e) {
    fail("FormatReward",
         "pattern \"" + pattern +
             "\" is not a valid regular expression: " + e.what());
  }
}
} // namespace

FormatReward::FormatReward(const std::string &pattern)
    : source(pattern), regex(compile(pattern)) {}

double FormatReward::operator()(std::string_view response) const {
  return std::regex_search(response.begin(), response.end(), regex) ? 1.0 : 0.0;
}

at::Tensor
FormatReward::operator()(const std::vector<std::string> &responses) const {
  std::vector<float> values;
  values.reserve(responses.size());
  for (const std::string &response : responses)
    values.push_back(static_cast<float>((*this)(std::string_view(response))));
  return toTensor(values);
}

namespace {
void checkLengthPenalty(const char *fn, int64_t target, double weight) {
  if (target <= 0)
    fail(fn, "target = " + std::to_string(target) + " must be > 0");
  checkAtLeast(fn, "weight", weight, 0.0);
}
} // namespace

double lengthPenaltyReward(int64_t numTokens, int64_t target, double weight) {
  checkLengthPenalty("lengthPenaltyReward", target, weight);
  if (numTokens < 0)
    fail("lengthPenaltyReward",
         "numTokens = " + std::to_string(numTokens) + " must be >= 0");
  return -weight *
         static_cast<double>(std::max<int64_t>(0, numTokens - target));
}

at::Tensor lengthPenaltyRewards(const at::Tensor &lengths, int64_t target,
                                double weight) {
  const char *fn = "lengthPenaltyRewards";
  checkLengthPenalty(fn, target, weight);
  if (!lengths.defined() || lengths.dim() != 1)
    fail(fn, "lengths must be 1-D [N], got shape " + shapeString(lengths));
  if (lengths.scalar_type() == at::kBool)
    fail(fn, "lengths must be numbers, got a bool tensor");
  at::Tensor len =
      lengths.is_floating_point() ? lengths : lengths.to(at::kFloat);
  return -weight * (len - static_cast<double>(target)).clamp_min(0.0);
}

at::Tensor weightedRewardSum(const std::vector<at::Tensor> &rewards,
                             const std::vector<double> &weights) {
  const char *fn = "weightedRewardSum";
  if (rewards.empty())
    fail(fn, "needs at least one reward");
  if (rewards.size() != weights.size())
    fail(fn, "got " + std::to_string(rewards.size()) + " rewards but " +
                 std::to_string(weights.size()) + " weights");
  checkRank(fn, "rewards[0]", rewards[0], 1, "[N]");
  if (!std::isfinite(weights[0]))
    fail(fn, "weights[0] is not finite");
  at::Tensor sum = weights[0] * rewards[0];
  for (size_t k = 1; k < rewards.size(); ++k) {
    std::string name = "rewards[" + std::to_string(k) + "]";
    checkRank(fn, name.c_str(), rewards[k], 1, "[N]");
    checkSameShape(fn, "rewards[0]", rewards[0], name.c_str(), rewards[k]);
    if (!std::isfinite(weights[k]))
      fail(fn, "weights[" + std::to_string(k) + "] is not finite");
    sum = sum + weights[k] * rewards[k];
  }
  return sum;
}

} // namespace rlg::runtime
