// Fuzzes the parser and checker with mutated programs and random bytes.
#include "rlg/DSL/Frontend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace rlg;
using namespace rlg::dsl;

namespace {

struct ExampleProgram {
  std::string path; // Used as the buffer name, so that jsonl paths resolve.
  std::string text;
};

const std::vector<ExampleProgram> &examplePrograms() {
  static const std::vector<ExampleProgram> programs = [] {
    namespace fs = std::filesystem;
    std::vector<ExampleProgram> out;
    for (const fs::directory_entry &entry :
         fs::directory_iterator(RLG_PROGRAMS_DIR)) {
      if (entry.path().extension() != ".rlg")
        continue;
      SourceManager sources;
      std::string error;
      std::optional<uint32_t> id =
          sources.addFile(entry.path().string(), error);
      if (id)
        out.push_back({entry.path().string(), std::string(sources.text(*id))});
    }
    std::sort(out.begin(), out.end(),
              [](const ExampleProgram &a, const ExampleProgram &b) {
                return a.path < b.path;
              });
    return out;
  }();
  return programs;
}

/// A printable excerpt of a failing input, for the failure message.
std::string escaped(const std::string &text, size_t limit = 400) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < limit; ++i) {
    unsigned char c = text[i];
    if (c == '\n')
      out += "\\n";
    else if (c == '\\')
      out += "\\\\";
    else if (c < 0x20 || c >= 0x7f) {
      const char *hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else
      out += char(c);
  }
  if (text.size() > limit)
    out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

/// Totals over every kind of variant, printed when the run ends.
struct Totals {
  size_t cases = 0, accepted = 0, rejected = 0;
  std::chrono::steady_clock::duration time{};
};
Totals &totals() {
  static Totals t;
  return t;
}

class SummaryEnvironment : public ::testing::Environment {
public:
  void TearDown() override {
    const Totals &t = totals();
    std::cout
        << "[fuzz] total: " << t.cases << " cases, " << t.accepted
        << " accepted, " << t.rejected << " rejected, "
        << std::chrono::duration_cast<std::chrono::milliseconds>(t.time).count()
        << " ms in the frontend" << std::endl;
  }
};
::testing::Environment *const kSummary =
    ::testing::AddGlobalTestEnvironment(new SummaryEnvironment);

/// Runs the frontend on many inputs and checks each result; collects counts
/// and the first few problems.
class FuzzRunner {
public:
  explicit FuzzRunner(const char *kind) : kind_(kind) {}

  void run(const std::string &name, const std::string &text) {
    ++cases_;
    SourceManager sources;
    DiagnosticEngine diags(sources);
    uint32_t id = sources.addBuffer(name, text);
    FrontendResult result;
    auto start = std::chrono::steady_clock::now();
    struct Timer {
      std::chrono::steady_clock::time_point start;
      ~Timer() { totals().time += std::chrono::steady_clock::now() - start; }
    } timer{start};
    try {
      result = runFrontend(id, sources, diags);
    } catch (const std::exception &e) {
      problem(name, text, std::string("runFrontend threw: ") + e.what());
      return;
    } catch (...) {
      problem(name, text, "runFrontend threw a non-standard exception");
      return;
    }
    if (diags.errorCount() == 0) {
      ++accepted_;
      if (!result.parsed || !result.checkedOk)
        problem(name, text,
                "no errors, but the result says parsing or checking failed");
    } else {
      ++(result.parsed ? rejectedByChecker_ : rejectedByParser_);
      if (result.checkedOk)
        problem(name, text, "errors were reported, but checkedOk is true");
    }
    checkDiagnostics(sources, diags, id, name, text);
  }

  void report() {
    std::ostringstream os;
    os << "[fuzz] " << kind_ << ": " << cases_ << " cases, " << accepted_
       << " accepted, " << rejectedByParser_ << " rejected by the parser, "
       << rejectedByChecker_ << " rejected by the checker, " << problems_
       << " problems";
    std::cout << os.str() << std::endl;
    totals().cases += cases_;
    totals().accepted += accepted_;
    totals().rejected += rejectedByParser_ + rejectedByChecker_;
    ::testing::Test::RecordProperty("cases", std::to_string(cases_));
    ::testing::Test::RecordProperty("accepted", std::to_string(accepted_));
    ::testing::Test::RecordProperty(
        "rejected", std::to_string(rejectedByParser_ + rejectedByChecker_));
    EXPECT_EQ(problems_, 0u) << kind_;
  }

  size_t cases() const { return cases_; }

private:
  void checkDiagnostics(const SourceManager &sources,
                        const DiagnosticEngine &diags, uint32_t id,
                        const std::string &name, const std::string &text) {
    // Every located diagnostic (and note) points inside the buffer.
    auto inside = [&](SourceRange range, const char *what) {
      if (!range.isValid())
        return;
      if (range.begin.bufferId != id) {
        problem(name, text, std::string(what) + " points into another buffer");
        return;
      }
      if (range.begin.offset > text.size() || range.end > text.size() ||
          range.end < range.begin.offset) {
        problem(name, text,
                std::string(what) + " has range [" +
                    std::to_string(range.begin.offset) + ", " +
                    std::to_string(range.end) + ") outside a buffer of " +
                    std::to_string(text.size()) + " bytes");
        return;
      }
      LineCol lc = sources.lineCol(range.begin);
      size_t lines = std::count(text.begin(), text.end(), '\n') + 1;
      if (lc.line < 1 || lc.line > lines || lc.column < 1 ||
          lc.column > sources.lineText(id, lc.line).size() + 2)
        problem(name, text,
                std::string(what) + " at " + std::to_string(lc.line) + ":" +
                    std::to_string(lc.column) + " is outside the buffer");
    };
    for (const Diagnostic &diag : diags.diagnostics()) {
      if (diag.severity == Severity::Error && !diag.range.isValid()) {
        problem(name, text, "error without a location: " + diag.message);
        continue;
      }
      if (diag.message.empty())
        problem(name, text, "diagnostic without a message");
      inside(diag.range, "diagnostic");
      for (const Diagnostic::Note &note : diag.notes)
        inside(note.range, "note");
      if (diag.severity != Severity::Error || !diag.range.isValid())
        continue;
      std::ostringstream one;
      renderDiagnostic(one, sources, diag);
      LineCol lc = sources.lineCol(diag.range.begin);
      std::string prefix = name + ":" + std::to_string(lc.line) + ":" +
                           std::to_string(lc.column) + ": error: ";
      if (one.str().compare(0, prefix.size(), prefix) != 0)
        problem(name, text,
                "rendered error does not start with '" + prefix + "'");
    }
    std::ostringstream all;
    renderDiagnostics(all, diags);
    if (diags.errorCount() + diags.warningCount() > 0 && all.str().empty())
      problem(name, text, "rendering produced nothing");
  }

  void problem(const std::string &name, const std::string &text,
               const std::string &what) {
    if (++problems_ <= 10)
      ADD_FAILURE() << kind_ << " on " << name << ": " << what
                    << "\n  input: \"" << escaped(text) << "\"";
  }

  const char *kind_;
  size_t cases_ = 0, accepted_ = 0, rejectedByParser_ = 0,
         rejectedByChecker_ = 0;
  size_t problems_ = 0;
};

/// Splits text into rough tokens: names and numbers, strings, comments,
/// whitespace runs and single punctuation bytes. Concatenated, they give the
/// text back.
std::vector<std::string> chunks(const std::string &text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t begin = i;
    unsigned char c = text[i];
    if (std::isalnum(c) || c == '_') {
      while (i < text.size() && (std::isalnum((unsigned char)text[i]) ||
                                 text[i] == '_' || text[i] == '.'))
        ++i;
    } else if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n')
        ++i;
      if (i < text.size() && text[i] == '"')
        ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (std::isspace(c)) {
      while (i < text.size() && std::isspace((unsigned char)text[i]))
        ++i;
    } else {
      ++i;
    }
    out.push_back(text.substr(begin, i - begin));
  }
  return out;
}

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

std::string join(const std::vector<std::string> &parts, const char *sep = "") {
  std::string out;
  for (const std::string &part : parts)
    out += part + sep;
  return out;
}

size_t pick(std::mt19937 &rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

// ---- Variants of the example programs
// ------------------------------------------

TEST(FrontendFuzzTest, ExampleProgramsAreFound) {
  EXPECT_GE(examplePrograms().size(), 10u);
  for (const ExampleProgram &program : examplePrograms())
    EXPECT_FALSE(program.text.empty()) << program.path;
}

TEST(FrontendFuzzTest, Truncations) {
  FuzzRunner runner("truncations");
  const size_t kCuts = 200;
  for (const ExampleProgram &program : examplePrograms()) {
    size_t size = program.text.size();
    for (size_t i = 0; i <= kCuts; ++i)
      runner.run(program.path, program.text.substr(0, size * i / kCuts));
  }
  runner.report();
}

TEST(FrontendFuzzTest, LineShufflesAndLineEdits) {
  FuzzRunner runner("line edits");
  std::mt19937 rng(20240501);
  for (const ExampleProgram &program : examplePrograms()) {
    std::vector<std::string> original = lines(program.text);
    if (original.empty())
      continue;
    for (int i = 0; i < 60; ++i) {
      std::vector<std::string> edited = original;
      switch (i % 4) {
      case 0: // A full shuffle.
        std::shuffle(edited.begin(), edited.end(), rng);
        break;
      case 1: // Swap two lines.
        std::swap(edited[pick(rng, edited.size())],
                  edited[pick(rng, edited.size())]);
        break;
      case 2: // Delete a few lines.
        for (int k = 0; k < 3 && edited.size() > 1; ++k)
          edited.erase(edited.begin() + pick(rng, edited.size()));
        break;
      case 3: { // Duplicate a line somewhere else.
        std::string line = edited[pick(rng, edited.size())];
        edited.insert(edited.begin() + pick(rng, edited.size() + 1), line);
        break;
      }
      }
      runner.run(program.path, join(edited, "\n"));
    }
  }
  runner.report();
}

TEST(FrontendFuzzTest, ChunkDeletionsDuplicationsAndSwaps) {
  FuzzRunner runner("chunk edits");
  std::mt19937 rng(7);
  for (const ExampleProgram &program : examplePrograms()) {
    std::vector<std::string> original = chunks(program.text);
    ASSERT_EQ(join(original), program.text) << program.path;
    std::vector<size_t> names; // Indices of name-like chunks.
    for (size_t i = 0; i < original.size(); ++i)
      if (std::isalpha((unsigned char)original[i][0]) || original[i][0] == '_')
        names.push_back(i);
    for (int i = 0; i < 200; ++i) {
      std::vector<std::string> edited = original;
      int edits = 1 + static_cast<int>(pick(rng, 3));
      for (int e = 0; e < edits && !edited.empty(); ++e) {
        size_t at = pick(rng, edited.size());
        size_t length = std::min<size_t>(1 + pick(rng, 4), edited.size() - at);
        switch (pick(rng, 4)) {
        case 0: // Delete a run of chunks.
          edited.erase(edited.begin() + at, edited.begin() + at + length);
          break;
        case 1: { // Duplicate a run of chunks in place.
          std::vector<std::string> copy(edited.begin() + at,
                                        edited.begin() + at + length);
          edited.insert(edited.begin() + at + length, copy.begin(), copy.end());
          break;
        }
        case 2: // Replace a chunk with another chunk of the program.
          edited[at] = original[pick(rng, original.size())];
          break;
        case 3: // Replace a name with another name: parses, but may not check.
          if (!names.empty()) {
            size_t target = names[pick(rng, names.size())];
            if (target < edited.size())
              edited[target] = original[names[pick(rng, names.size())]];
          }
          break;
        }
      }
      runner.run(program.path, join(edited));
    }
  }
  runner.report();
}

TEST(FrontendFuzzTest, ByteFlipsAndInsertions) {
  FuzzRunner runner("byte mutations");
  std::mt19937 rng(99);
  static const char kSpecial[] = "\0\xff{}()\"#\n=.,;:-\\\r\t\x80\xc3";
  const std::string special(kSpecial, sizeof(kSpecial) - 1);
  for (const ExampleProgram &program : examplePrograms()) {
    for (int i = 0; i < 200; ++i) {
      std::string text = program.text;
      int mutations = 1 + static_cast<int>(pick(rng, 4));
      for (int m = 0; m < mutations; ++m) {
        char byte = pick(rng, 2) ? special[pick(rng, special.size())]
                                 : static_cast<char>(pick(rng, 256));
        size_t at = pick(rng, text.size() + 1);
        switch (pick(rng, 3)) {
        case 0: // Overwrite a byte.
          if (at < text.size())
            text[at] = byte;
          else
            text.push_back(byte);
          break;
        case 1: // Insert a byte.
          text.insert(text.begin() + at, byte);
          break;
        case 2: // Delete a byte.
          if (at < text.size())
            text.erase(text.begin() + at);
          break;
        }
      }
      runner.run(program.path, text);
    }
  }
  runner.report();
}

TEST(FrontendFuzzTest, SplicesOfTwoPrograms) {
  FuzzRunner runner("splices");
  std::mt19937 rng(31337);
  const std::vector<ExampleProgram> &programs = examplePrograms();
  ASSERT_FALSE(programs.empty());
  for (int i = 0; i < 300; ++i) {
    const ExampleProgram &a = programs[pick(rng, programs.size())];
    const ExampleProgram &b = programs[pick(rng, programs.size())];
    std::string text = a.text.substr(0, pick(rng, a.text.size() + 1)) +
                       b.text.substr(pick(rng, b.text.size()));
    runner.run(a.path, text);
  }
  runner.report();
}

// ---- Random buffers
// ---------------------------------------------------------------

TEST(FrontendFuzzTest, RandomBytes) {
  FuzzRunner runner("random bytes");
  std::mt19937 rng(4242);
  const std::string name = RLG_PROGRAMS_DIR "/random.rlg";
  for (int i = 0; i < 500; ++i) {
    std::string text(pick(rng, 400), '\0');
    for (char &c : text)
      c = static_cast<char>(pick(rng, 256));
    runner.run(name, text);
  }
  runner.report();
}

TEST(FrontendFuzzTest, RandomTokenSoup) {
  FuzzRunner runner("token soup");
  std::mt19937 rng(2718);
  const std::vector<std::string> words = {"model",
                                          "data",
                                          "reward",
                                          "step",
                                          "update",
                                          "run",
                                          "schedule",
                                          "true",
                                          "false",
                                          "actor",
                                          "ref",
                                          "policy",
                                          "frozen",
                                          "value",
                                          "generate",
                                          "logprob",
                                          "advantage.grpo",
                                          "ppo_clip",
                                          "loss",
                                          "minibatch",
                                          "train",
                                          "task.arith",
                                          "batch",
                                          "prompts",
                                          "ro",
                                          "r",
                                          "0",
                                          "1",
                                          "8",
                                          "32",
                                          "1e-4",
                                          "0.5",
                                          "\"tiny\"",
                                          "\"x",
                                          "{",
                                          "}",
                                          "(",
                                          ")",
                                          ",",
                                          ";",
                                          "=",
                                          ":",
                                          ".",
                                          "+",
                                          "-",
                                          "*",
                                          "/",
                                          "\n",
                                          " ",
                                          "#",
                                          "@",
                                          "\xff"};
  const std::string name = RLG_PROGRAMS_DIR "/soup.rlg";
  for (int i = 0; i < 1000; ++i) {
    std::string text;
    size_t count = pick(rng, 120);
    for (size_t k = 0; k < count; ++k) {
      text += words[pick(rng, words.size())];
      if (pick(rng, 3) == 0)
        text += ' ';
    }
    runner.run(name, text);
  }
  runner.report();
}

TEST(FrontendFuzzTest, PathologicalInputs) {
  FuzzRunner runner("pathological");
  const std::string name = RLG_PROGRAMS_DIR "/pathological.rlg";
  const std::vector<std::string> inputs = {
      "",
      std::string(1, '\0'),
      std::string(100000, '('),
      std::string(100000, '{'),
      std::string(100000, '}'),
      std::string(100000, '"'),
      std::string(100000, '-'),
      std::string(100000, '\n'),
      std::string(100000, '\xff'),
      "model " + std::string(100000, 'a'),
      "data x = " + std::string(5000, '['),
      "step s(",
      "step s(p = d.batch(1)) {",
      "run {",
      "schedule { a.b.c.d.e.f { x = 1 } }",
      "model m: policy(" + std::string(1000, ',') + ")",
      "model m: reward\nmodel n: reward(from = m)\nmodel o: frozen(n)\n",
      "\xef\xbb\xbfmodel m: policy(\"tiny\")\n",
      "model m: policy(\"tiny\")\r\n\r\n" + std::string(50, '\r'),
  };
  for (const std::string &text : inputs)
    runner.run(name, text);
  runner.report();
}

} // namespace
