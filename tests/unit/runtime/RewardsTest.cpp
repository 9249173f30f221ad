// Unit tests for the rule-based string rewards and weighted reward sums.
#include "rlg/Runtime/Algorithms/Rewards.h"

#include "TensorTestSupport.h"

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

TEST(ExactMatchTest, TrimsWhitespace) {
  EXPECT_EQ(trimWhitespace("  42\n\t"), "42");
  EXPECT_EQ(trimWhitespace(" \n "), "");
  EXPECT_DOUBLE_EQ(exactMatchReward("  42\n", "42"), 1.0);
  EXPECT_DOUBLE_EQ(exactMatchReward("42", " 42 "), 1.0);
  EXPECT_DOUBLE_EQ(exactMatchReward("4 2", "42"), 0.0);
  EXPECT_DOUBLE_EQ(exactMatchReward("43", "42"), 0.0);
  EXPECT_DOUBLE_EQ(exactMatchReward("", ""), 1.0);
}

// responses ["42", " 7 ", "x"] against ["42", "7", "y"] -> [1, 1, 0].
TEST(ExactMatchTest, Batch) {
  at::Tensor r = exactMatchRewards({"42", " 7 ", "x"}, {"42", "7", "y"});
  EXPECT_EQ(r.scalar_type(), at::kFloat);
  expectNear(r, vec({1, 1, 0}), 0);
  expectInvalid(
      [] {
        exactMatchRewards({"1", "2"}, {"1"});
      },
      {"exactMatchRewards", "2 entries", "1"});
}

// "^-?[0-9]+$" matches "-12" and "7", not "7 apples" nor "" nor "12\n".
// An unanchored pattern matches anywhere: "answer" in "the answer: 3".
TEST(FormatRewardTest, RegexSearch) {
  FormatReward integer("^-?[0-9]+$");
  EXPECT_DOUBLE_EQ(integer("-12"), 1.0);
  EXPECT_DOUBLE_EQ(integer("7"), 1.0);
  EXPECT_DOUBLE_EQ(integer("7 apples"), 0.0);
  EXPECT_DOUBLE_EQ(integer(""), 0.0);
  EXPECT_DOUBLE_EQ(integer("12\n"), 0.0);
  expectNear(integer(std::vector<std::string>{"1", "a", "-3"}), vec({1, 0, 1}),
             0);
  FormatReward word("answer");
  EXPECT_DOUBLE_EQ(word("the answer: 3"), 1.0);
  EXPECT_EQ(word.pattern(), "answer");
}

TEST(FormatRewardTest, InvalidPattern) {
  expectInvalid([] { FormatReward("([0-9]"); },
                {"FormatReward", "([0-9]", "not a valid regular expression"});
}

// target 32, weight 0.01: 40 tokens -> -0.01 * 8 = -0.08; 32 or fewer -> 0.
TEST(LengthPenaltyTest, ByHand) {
  EXPECT_NEAR(lengthPenaltyReward(40, 32, 0.01), -0.08, 1e-15);
  EXPECT_DOUBLE_EQ(lengthPenaltyReward(32, 32, 0.01), 0.0);
  EXPECT_DOUBLE_EQ(lengthPenaltyReward(3, 32, 0.01), 0.0);
  at::Tensor lengths =
      at::tensor(at::ArrayRef<int64_t>({40, 10, 33}), at::kLong);
  expectNear(lengthPenaltyRewards(lengths, 32, 0.5), vec({-4, 0, -0.5}), 1e-7);
  expectInvalid([] { lengthPenaltyReward(1, 0, 0.1); },
                {"lengthPenaltyReward", "target = 0"});
  expectInvalid([] { lengthPenaltyReward(1, 3, -0.1); }, {"weight"});
  expectInvalid([] { lengthPenaltyRewards(mat({{1}}), 3, 0.1); },
                {"lengthPenaltyRewards", "lengths", "[1, 1]"});
}

// total = correct + 0.5 * fmt + long:
//   [1, 0] + 0.5 * [1, 1] + [0, -0.25] = [1.5, 0.25].
TEST(WeightedSumTest, ByHand) {
  expectNear(weightedRewardSum({vec({1, 0}), vec({1, 1}), vec({0, -0.25})},
                               {1.0, 0.5, 1.0}),
             vec({1.5, 0.25}), 1e-12);
  expectInvalid([] { weightedRewardSum({}, {}); },
                {"weightedRewardSum", "at least one"});
  expectInvalid(
      [] {
        weightedRewardSum({vec({1})}, {1.0, 2.0});
      },
      {"1 rewards but 2 weights"});
  expectInvalid(
      [] {
        weightedRewardSum({vec({1, 0}), vec({1})}, {1.0, 1.0});
      },
      {"rewards[1]", "[1]", "rewards[0]", "[2]"});
}

} // namespace

TEST(MathAnswerTest, ExtractsTheFinalAnswer) {
  EXPECT_EQ(extractMathAnswer("so x = \\boxed{\\frac{1}{2}} and done"),
            "\\frac{1}{2}");
  EXPECT_EQ(extractMathAnswer("\\boxed{3} then \\boxed{4}"), "4");
  EXPECT_EQ(extractMathAnswer("He pays 3 * 4 = 12 dollars.\n#### 1,200"),
            "1200");
  EXPECT_EQ(extractMathAnswer("The total is 1,234.5 apples."), "1234.5");
  EXPECT_EQ(extractMathAnswer("10-3 leaves 7."), "7");
  EXPECT_EQ(extractMathAnswer("it drops to -4 degrees"), "-4");
  EXPECT_EQ(extractMathAnswer("half is 1/2"), "1/2");
  EXPECT_EQ(extractMathAnswer("no numbers here"), "");
  EXPECT_EQ(extractMathAnswer("\\boxed{12"), "12"); // unclosed: last number
}

TEST(MathAnswerTest, ComparesValues) {
  EXPECT_EQ(mathAnswerReward("The answer is 72.", "72"), 1.0);
  EXPECT_EQ(mathAnswerReward("The answer is 72.", "#### 72"), 1.0);
  EXPECT_EQ(mathAnswerReward("so \\boxed{0.5}", "1/2"), 1.0);
  EXPECT_EQ(mathAnswerReward("so \\boxed{$1,000$}", "1000"), 1.0);
  EXPECT_EQ(mathAnswerReward("The answer is 71.", "72"), 0.0);
  EXPECT_EQ(mathAnswerReward("I do not know.", "72"), 0.0);
  EXPECT_EQ(mathAnswerReward("\\boxed{x+1}", "x + 1"), 1.0);
  EXPECT_EQ(mathAnswerReward("\\boxed{x+2}", "x + 1"), 0.0);
  at::Tensor batch = mathAnswerRewards({"= 3", "= 4"}, {"3", "3"});
  EXPECT_TRUE(at::equal(batch, at::tensor({1.0f, 0.0f})));
  EXPECT_THROW(mathAnswerRewards({"3"}, {}), std::invalid_argument);
}
