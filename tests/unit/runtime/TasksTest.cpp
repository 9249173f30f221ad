// The built-in tasks: answers, determinism, disjoint splits, demos, checks.
#include "rlg/Runtime/Data/Tasks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

using namespace rlg::runtime;

namespace {

TaskSpec spec(TaskKind kind, TaskSplit split = TaskSplit::Train,
              int64_t size = 200, uint64_t seed = 0) {
  TaskSpec s;
  s.kind = kind;
  s.split = split;
  s.size = size;
  s.seed = seed;
  return s;
}

std::set<std::string> prompts(const std::vector<TaskExample> &examples) {
  std::set<std::string> set;
  for (const TaskExample &example : examples)
    set.insert(example.prompt);
  return set;
}

} // namespace

TEST(TasksTest, ArithAnswersAreCorrect) {
  TaskSpec arith = spec(TaskKind::Arith);
  std::vector<TaskExample> examples = makeTaskExamples(arith);
  ASSERT_EQ(examples.size(), 200u);
  std::set<char> ops;
  for (const TaskExample &example : examples) {
    const std::string &p = example.prompt;
    ASSERT_EQ(p.back(), '=');
    size_t at = p.find_first_of("+-*");
    ASSERT_NE(at, std::string::npos) << p;
    long long a = std::stoll(p.substr(0, at));
    long long b = std::stoll(p.substr(at + 1, p.size() - at - 2));
    EXPECT_LT(a, 100);
    EXPECT_LT(b, 100);
    char op = p[at];
    ops.insert(op);
    long long expected = op == '+' ? a + b : op == '-' ? a - b : a * b;
    EXPECT_EQ(example.answer, std::to_string(expected)) << p;
  }
  EXPECT_EQ(ops, (std::set<char>{'+', '-', '*'}));
  arith.ops = "+";
  arith.digits = 9;
  for (const TaskExample &example : makeTaskExamples(arith))
    EXPECT_EQ(example.prompt.find_first_of("-*"), std::string::npos);
}

TEST(TasksTest, SortAndReverseAnswersAreCorrect) {
  for (const TaskExample &example : makeTaskExamples(spec(TaskKind::Sort))) {
    ASSERT_EQ(example.prompt.rfind("sort ", 0), 0u);
    std::string digits = example.prompt.substr(5, example.prompt.size() - 6);
    EXPECT_EQ(digits.size(), 5u);
    std::sort(digits.begin(), digits.end());
    EXPECT_EQ(example.answer, digits);
  }
  TaskSpec reverse = spec(TaskKind::Reverse);
  reverse.length = 9;
  for (const TaskExample &example : makeTaskExamples(reverse)) {
    ASSERT_EQ(example.prompt.rfind("reverse ", 0), 0u);
    std::string letters = example.prompt.substr(8, example.prompt.size() - 9);
    EXPECT_EQ(letters.size(), 9u);
    EXPECT_EQ(example.answer, std::string(letters.rbegin(), letters.rend()));
  }
  EXPECT_EQ(spec(TaskKind::Reverse).effectiveLength(), 6);
}

TEST(TasksTest, DeterministicForASeed) {
  for (TaskKind kind : {TaskKind::Arith, TaskKind::Sort, TaskKind::Reverse}) {
    std::vector<TaskExample> a = makeTaskExamples(spec(kind));
    std::vector<TaskExample> b = makeTaskExamples(spec(kind));
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].prompt, b[i].prompt);
      EXPECT_EQ(a[i].answer, b[i].answer);
    }
    std::vector<TaskExample> other =
        makeTaskExamples(spec(kind, TaskSplit::Train, 200, 1));
    EXPECT_NE(prompts(a), prompts(other)) << taskKindName(kind);
  }
  // Fixed values guard the generators and the split rule against change:
  // the same program must see the same data in every build.
  auto first = [](TaskKind kind, TaskSplit split) {
    TaskExample e = makeTaskExamples(spec(kind, split, 1))[0];
    return e.prompt + e.answer;
  };
  EXPECT_EQ(first(TaskKind::Arith, TaskSplit::Train), "99*70=6930");
  EXPECT_EQ(first(TaskKind::Arith, TaskSplit::Test), "28*89=2492");
  EXPECT_EQ(first(TaskKind::Sort, TaskSplit::Train), "sort 81227=12278");
  EXPECT_EQ(first(TaskKind::Reverse, TaskSplit::Test), "reverse dshpkx=xkphsd");
}

TEST(TasksTest, TrainAndTestNeverShareAProblem) {
  for (TaskKind kind : {TaskKind::Arith, TaskKind::Sort, TaskKind::Reverse}) {
    std::set<std::string> train, test;
    for (uint64_t seed : {0, 1, 2}) {
      for (const TaskExample &e :
           makeTaskExamples(spec(kind, TaskSplit::Train, 500, seed))) {
        EXPECT_FALSE(isTestProblem(e.prompt));
        train.insert(e.prompt);
      }
      for (const TaskExample &e :
           makeTaskExamples(spec(kind, TaskSplit::Test, 100, seed))) {
        EXPECT_TRUE(isTestProblem(e.prompt));
        test.insert(e.prompt);
      }
    }
    for (const std::string &p : test)
      EXPECT_EQ(train.count(p), 0u) << p;
    EXPECT_GT(test.size(), 50u) << taskKindName(kind);
  }
}

TEST(TasksTest, ProblemsAreDistinctWhileTheSpaceAllows) {
  std::vector<TaskExample> examples = makeTaskExamples(spec(TaskKind::Arith));
  EXPECT_EQ(prompts(examples).size(), examples.size());
  // digits = 1 and one operator: 100 problems, about 10 in the test split.
  TaskSpec small = spec(TaskKind::Arith, TaskSplit::Test, 50);
  small.digits = 1;
  for (const char *ops : {"+", "-", "*"}) {
    small.ops = ops;
    std::vector<TaskExample> test = makeTaskExamples(small);
    EXPECT_EQ(test.size(), 50u);
    size_t distinct = prompts(test).size();
    EXPECT_GE(distinct, 3u) << ops;
    EXPECT_LE(distinct, 25u) << ops;
  }
  TaskSpec shortSort = spec(TaskKind::Sort, TaskSplit::Test, 20);
  shortSort.length = 2;
  EXPECT_EQ(makeTaskExamples(shortSort).size(), 20u);
}

TEST(TasksTest, DemosAndExactMatch) {
  std::vector<TaskExample> examples =
      makeTaskExamples(spec(TaskKind::Arith, TaskSplit::Train, 5));
  std::vector<Demo> demos = toDemos(examples);
  ASSERT_EQ(demos.size(), 5u);
  EXPECT_EQ(demos[3].prompt, examples[3].prompt);
  EXPECT_EQ(demos[3].response, examples[3].answer);

  EXPECT_TRUE(responseMatchesAnswer(" 82\n", "82"));
  EXPECT_FALSE(responseMatchesAnswer("8 2", "82"));
  EXPECT_FALSE(responseMatchesAnswer("820", "82"));
  CharTokenizer tokenizer;
  std::vector<int64_t> ids = tokenizer.encode(" 82", false, true);
  ids.push_back(tokenizer.encode("5")[0]); // after EOS: ignored
  EXPECT_TRUE(responseMatchesAnswer(tokenizer, ids, "82"));
  EXPECT_FALSE(responseMatchesAnswer(tokenizer, tokenizer.encode("825"), "82"));
}

TEST(TasksTest, EveryCharacterIsInTheTokenizer) {
  CharTokenizer tokenizer;
  for (TaskKind kind : {TaskKind::Arith, TaskKind::Sort, TaskKind::Reverse})
    for (const TaskExample &e : makeTaskExamples(spec(kind)))
      EXPECT_NO_THROW(tokenizer.encode(e.prompt + e.answer)) << e.prompt;
}

TEST(TasksTest, NamesAndInvalidArguments) {
  EXPECT_EQ(parseTaskKind("sort"), TaskKind::Sort);
  EXPECT_EQ(parseTaskSplit("test"), TaskSplit::Test);
  EXPECT_THROW(parseTaskKind("copy"), std::invalid_argument);
  EXPECT_THROW(parseTaskSplit("dev"), std::invalid_argument);
  TaskSpec bad = spec(TaskKind::Arith);
  bad.ops = "+/";
  EXPECT_THROW(makeTaskExamples(bad), std::invalid_argument);
  bad = spec(TaskKind::Arith);
  bad.digits = 10;
  EXPECT_THROW(makeTaskExamples(bad), std::invalid_argument);
  bad = spec(TaskKind::Sort);
  bad.length = 1;
  EXPECT_THROW(makeTaskExamples(bad), std::invalid_argument);
  bad = spec(TaskKind::Reverse);
  bad.size = 0;
  try {
    makeTaskExamples(bad);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("task.reverse: size"),
              std::string::npos)
        << e.what();
  }
}
