// The built-in tasks: arith, sort and reverse prompts with exact answers.
//
// Prompts and answers use only characters of CharTokenizer:
//   arith    "37+45="         -> "82"      (operands in [0, 10^digits))
//   sort     "sort 52813="    -> "12358"   (`length` random digits)
//   reverse  "reverse abcde=" -> "edcba"   (`length` random letters a-z)
// A problem belongs to the test split when a hash of its prompt text falls
// in the held-out tenth (isTestProblem), whatever the seed: a test problem
// never appears in any train split. Examples are drawn from a generator
// seeded by (task, seed), keeping each problem once while the split has
// unseen ones within reach (small problem spaces then repeat problems).
// The same spec always gives the same examples, on every platform.
#pragma once

#include "rlg/Runtime/Data/CharTokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime {

enum class TaskKind { Arith, Sort, Reverse };
enum class TaskSplit { Train, Test };

/// "arith", "sort", "reverse"; parseTaskKind throws std::invalid_argument
/// for another name.
const char *taskKindName(TaskKind kind);
TaskKind parseTaskKind(const std::string &name);
/// "train", "test"; parseTaskSplit throws std::invalid_argument otherwise.
const char *taskSplitName(TaskSplit split);
TaskSplit parseTaskSplit(const std::string &name);

/// A task and its arguments, with docs/language.md's defaults.
struct TaskSpec {
  TaskKind kind = TaskKind::Arith;
  /// arith: operands have at most this many digits, 1..9.
  int64_t digits = 2;
  /// arith: the operators to draw from, a non-empty string of + - *.
  std::string ops = "+-*";
  /// sort and reverse: characters per problem, 2..64; 0 takes the task's
  /// default (sort 5, reverse 6).
  int64_t length = 0;
  TaskSplit split = TaskSplit::Train;
  /// Examples, >= 1.
  int64_t size = 1000;
  uint64_t seed = 0;

  /// The length in effect (the default when `length` is 0).
  int64_t effectiveLength() const;
  /// Throws std::invalid_argument naming the first bad argument.
  void validate() const;
};

struct TaskExample {
  std::string prompt; // e.g. "37+45="
  std::string answer; // e.g. "82"
};

/// A prompt with a good response, for supervised warm-up.
struct Demo {
  std::string prompt;
  std::string response;
};

/// The spec's `size` examples, deterministic for the spec.
std::vector<TaskExample> makeTaskExamples(const TaskSpec &spec);

/// Whether the problem with this prompt text is held out for testing.
bool isTestProblem(std::string_view prompt);

/// The demos view of examples (`task.demos(N)`): each answer becomes the
/// response.
std::vector<Demo> toDemos(const std::vector<TaskExample> &examples);

/// Whether the response text equals the answer, both trimmed of
/// whitespace.
bool responseMatchesAnswer(std::string_view response, std::string_view answer);
/// The same for response ids: decoded up to the first EOS, then compared.
bool responseMatchesAnswer(const Tokenizer &tokenizer,
                           const std::vector<int64_t> &responseIds,
                           std::string_view answer);

} // namespace rlg::runtime
