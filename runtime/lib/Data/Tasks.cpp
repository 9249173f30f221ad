// The built-in tasks: arith, sort and reverse prompts with exact answers.
#include "rlg/Runtime/Data/Tasks.h"
#include "rlg/Runtime/Algorithms/Rewards.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace rlg::runtime {
namespace {

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t hashText(std::string_view text) {
  uint64_t hash = 1469598103934665603ull; // FNV-1a
  for (unsigned char c : text)
    hash = (hash ^ c) * 1099511628211ull;
  return mix64(hash);
}

/// splitmix64: small, fast and the same on every platform (the standard
/// distributions are not).
class TaskRandom {
public:
  explicit TaskRandom(uint64_t seed) : state(seed) {}
  uint64_t next() {
    state += 0x9e3779b97f4a7c15ull;
    return mix64(state);
  }
  /// Uniform in [0, bound) (bound >= 1; the modulo bias is negligible).
  uint64_t below(uint64_t bound) { return next() % bound; }

private:
  uint64_t state;
};

TaskExample drawArith(const TaskSpec &spec, TaskRandom &random) {
  uint64_t limit = 1;
  for (int64_t i = 0; i < spec.digits; ++i)
    limit *= 10;
  int64_t a = static_cast<int64_t>(random.below(limit));
  int64_t b = static_cast<int64_t>(random.below(limit));
  char op = spec.ops[random.below(spec.ops.size())];
  int64_t result = op == '+' ? a + b : op == '-' ? a - b : a * b;
  return {std::to_string(a) + op + std::to_string(b) + "=",
          std::to_string(result)};
}

TaskExample drawSort(int64_t length, TaskRandom &random) {
  std::string digits;
  for (int64_t i = 0; i < length; ++i)
    digits.push_back(static_cast<char>('0' + random.below(10)));
  std::string sorted = digits;
  std::sort(sorted.begin(), sorted.end());
  return {"sort " + digits + "=", sorted};
}

TaskExample drawReverse(int64_t length, TaskRandom &random) {
  std::string letters;
  for (int64_t i = 0; i < length; ++i)
    letters.push_back(static_cast<char>('a' + random.below(26)));
  return {"reverse " + letters + "=",
          std::string(letters.rbegin(), letters.rend())};
}

[[noreturn]] void invalid(const TaskSpec &spec, const std::string &message) {
  throw std::invalid_argument(std::string("task.") + taskKindName(spec.kind) +
                              ": " + message);
}

} // namespace

const char *taskKindName(TaskKind kind) {
  switch (kind) {
  case TaskKind::Arith:
    return "arith";
  case TaskKind::Sort:
    return "sort";
  case TaskKind::Reverse:
    return "reverse";
  }
  return "arith";
}

TaskKind parseTaskKind(const std::string &name) {
  if (name == "arith")
    return TaskKind::Arith;
  if (name == "sort")
    return TaskKind::Sort;
  if (name == "reverse")
    return TaskKind::Reverse;
  throw std::invalid_argument("unknown task '" + name +
                              "'; the built-in tasks are arith, sort and "
                              "reverse");
}

const char *taskSplitName(TaskSplit split) {
  return split == TaskSplit::Train ? "train" : "test";
}

TaskSplit parseTaskSplit(const std::string &name) {
  if (name == "train")
    return TaskSplit::Train;
  if (name == "test")
    return TaskSplit::Test;
  throw std::invalid_argument("unknown split '" + name +
                              "'; expected \"train\" or \"test\"");
}

int64_t TaskSpec::effectiveLength() const {
  if (length != 0)
    return length;
  return kind == TaskKind::Reverse ? 6 : 5;
}

void TaskSpec::validate() const {
  if (size < 1)
    invalid(*this, "size must be >= 1, got " + std::to_string(size));
  if (kind == TaskKind::Arith) {
    if (digits < 1 || digits > 9)
      invalid(*this, "digits must be in 1..9, got " + std::to_string(digits));
    if (ops.empty() || ops.find_first_not_of("+-*") != std::string::npos)
      invalid(*this,
              "ops must be a non-empty string of + - *, got \"" + ops + "\"");
    return;
  }
  int64_t n = effectiveLength();
  if (n < 2 || n > 64)
    invalid(*this, "length must be in 2..64, got " + std::to_string(n));
}

bool isTestProblem(std::string_view prompt) {
  return hashText(prompt) % 10 == 0;
}

std::vector<TaskExample> makeTaskExamples(const TaskSpec &spec) {
  spec.validate();
  TaskRandom random(mix64(spec.seed ^ hashText(taskKindName(spec.kind))));
  bool wantTest = spec.split == TaskSplit::Test;
  // Keep problems distinct until this many draws; then allow repeats (the
  // split may hold fewer than `size` problems).
  const int64_t patience = 50 * spec.size + 1000;
  // The smallest split holds about 10 problems (a tenth of 100): far fewer
  // draws than this always find one.
  const int64_t giveUp = patience + 1000 * spec.size + 100000;
  std::vector<TaskExample> examples;
  examples.reserve(spec.size);
  std::unordered_set<std::string> seen;
  for (int64_t draws = 1; static_cast<int64_t>(examples.size()) < spec.size;
       ++draws) {
    if (draws > giveUp)
      invalid(spec, std::string("found too few problems for the ") +
                        taskSplitName(spec.split) + " split");
    TaskExample example = spec.kind == TaskKind::Arith ? drawArith(spec, random)
                          : spec.kind == TaskKind::Sort
                              ? drawSort(spec.effectiveLength(), random)
                              : drawReverse(spec.effectiveLength(), random);
    if (isTestProblem(example.prompt) != wantTest)
      continue;
    if (!seen.insert(example.prompt).second && draws <= patience)
      continue;
    examples.push_back(std::move(example));
  }
  return examples;
}

std::vector<Demo> toDemos(const std::vector<TaskExample> &examples) {
  std::vector<Demo> demos;
  demos.reserve(examples.size());
  for (const TaskExample &example : examples)
    demos.push_back({example.prompt, example.answer});
  return demos;
}

bool responseMatchesAnswer(std::string_view response, std::string_view answer) {
  return exactMatchReward(response, answer) == 1.0;
}

bool responseMatchesAnswer(const Tokenizer &tokenizer,
                           const std::vector<int64_t> &responseIds,
                           std::string_view answer) {
  return responseMatchesAnswer(tokenizer.decode(responseIds, true), answer);
}

} // namespace rlg::runtime
