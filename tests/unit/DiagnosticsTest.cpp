// Tests source positions, diagnostic rendering and spelling suggestions.
#include "rlg/Support/Diagnostics.h"
#include "rlg/Support/SourceManager.h"
#include "rlg/Support/TextDistance.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace rlg;

namespace {

SourceRange rangeOf(uint32_t buffer, uint32_t begin, uint32_t end) {
  return {{buffer, begin}, end};
}

std::string render(const SourceManager &sources, const Diagnostic &diag) {
  std::ostringstream os;
  renderDiagnostic(os, sources, diag);
  return os.str();
}

// ---- SourceManager
// -----------------------------------------------------------

TEST(SourceManagerTest, BufferIdsStartAtOneAndKeepNameAndText) {
  SourceManager sources;
  uint32_t a = sources.addBuffer("a.rlg", "abc");
  uint32_t b = sources.addBuffer("b.rlg", "xyz");
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(sources.name(a), "a.rlg");
  EXPECT_EQ(sources.name(b), "b.rlg");
  EXPECT_EQ(sources.text(b), "xyz");
}

TEST(SourceManagerTest, FirstLineColumnsCountBytesFromOne) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("x.rlg", "model a\nrun");
  LineCol first = sources.lineCol({id, 0});
  EXPECT_EQ(first.line, 1u);
  EXPECT_EQ(first.column, 1u);
  LineCol sixth = sources.lineCol({id, 6});
  EXPECT_EQ(sixth.line, 1u);
  EXPECT_EQ(sixth.column, 7u);
}

TEST(SourceManagerTest, OffsetsAfterNewlinesStartNewLines) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("x.rlg", "ab\ncd\n\nefg");
  // The newline itself belongs to the line it ends.
  LineCol newline = sources.lineCol({id, 2});
  EXPECT_EQ(newline.line, 1u);
  EXPECT_EQ(newline.column, 3u);
  LineCol c = sources.lineCol({id, 3});
  EXPECT_EQ(c.line, 2u);
  EXPECT_EQ(c.column, 1u);
  LineCol empty = sources.lineCol({id, 6});
  EXPECT_EQ(empty.line, 3u);
  EXPECT_EQ(empty.column, 1u);
  LineCol g = sources.lineCol({id, 9});
  EXPECT_EQ(g.line, 4u);
  EXPECT_EQ(g.column, 3u);
}

TEST(SourceManagerTest, EndOfBufferMapsPastTheLastCharacter) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("x.rlg", "ab\ncd");
  LineCol end = sources.lineCol({id, 5});
  EXPECT_EQ(end.line, 2u);
  EXPECT_EQ(end.column, 3u);
  // Offsets beyond the end are clamped to it.
  LineCol beyond = sources.lineCol({id, 500});
  EXPECT_EQ(beyond.line, 2u);
  EXPECT_EQ(beyond.column, 3u);

  uint32_t trailing = sources.addBuffer("y.rlg", "ab\n");
  LineCol afterNewline = sources.lineCol({trailing, 3});
  EXPECT_EQ(afterNewline.line, 2u);
  EXPECT_EQ(afterNewline.column, 1u);
}

TEST(SourceManagerTest, InvalidLocationHasNoLine) {
  SourceManager sources;
  sources.addBuffer("x.rlg", "abc");
  LineCol none = sources.lineCol(SourceLoc{});
  EXPECT_EQ(none.line, 0u);
  EXPECT_EQ(none.column, 0u);
  EXPECT_TRUE(sources.slice(SourceRange{}).empty());
}

TEST(SourceManagerTest, LineTextDropsNewlineAndCarriageReturn) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("x.rlg", "first\r\nsecond\r\nthird");
  EXPECT_EQ(sources.lineText(id, 1), "first");
  EXPECT_EQ(sources.lineText(id, 2), "second");
  EXPECT_EQ(sources.lineText(id, 3), "third");
  EXPECT_EQ(sources.lineText(id, 0), "");
  EXPECT_EQ(sources.lineText(id, 4), "");
  LineCol s = sources.lineCol({id, 7});
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(s.column, 1u);
}

TEST(SourceManagerTest, SliceReturnsTheRangeAndClampsToTheBuffer) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("x.rlg", "model actor");
  EXPECT_EQ(sources.slice(rangeOf(id, 6, 11)), "actor");
  EXPECT_EQ(sources.slice(rangeOf(id, 6, 99)), "actor");
  EXPECT_EQ(sources.slice(rangeOf(id, 6, 3)), "");
}

TEST(SourceManagerTest, AddFileReportsAMissingFile) {
  SourceManager sources;
  std::string error;
  EXPECT_FALSE(sources.addFile("/nonexistent/dir/file.rlg", error).has_value());
  EXPECT_FALSE(error.empty());
}

TEST(SourceRangeTest, LengthAndBetween) {
  SourceRange a = rangeOf(1, 4, 9);
  SourceRange b = rangeOf(1, 12, 15);
  EXPECT_EQ(a.length(), 5u);
  EXPECT_EQ(rangeOf(1, 9, 4).length(), 0u);
  SourceRange joined = SourceRange::between(a, b);
  EXPECT_EQ(joined.begin.offset, 4u);
  EXPECT_EQ(joined.end, 15u);
}

// ---- DiagnosticEngine and rendering
// -------------------------------------------

TEST(DiagnosticRenderTest, ErrorHasLocationLineCaretAndTildes) {
  SourceManager sources;
  uint32_t id =
      sources.addBuffer("prog.rlg", "model actor: policy\n  minibatch = 100\n");
  DiagnosticEngine diags(sources);
  // "100" is at offset 34..37 on line 2, column 15.
  diags.error(rangeOf(id, 34, 37), "mini-batch 100 does not divide 256");
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(render(sources, diags.diagnostics()[0]),
            "prog.rlg:2:15: error: mini-batch 100 does not divide 256\n"
            "    minibatch = 100\n"
            "                ^~~\n");
}

TEST(DiagnosticRenderTest, EmptyRangeStillGetsOneCaret) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "abc");
  DiagnosticEngine diags(sources);
  diags.error(rangeOf(id, 1, 1), "here");
  EXPECT_EQ(render(sources, diags.diagnostics()[0]), "p.rlg:1:2: error: here\n"
                                                     "  abc\n"
                                                     "   ^\n");
}

TEST(DiagnosticRenderTest, TildesStopAtTheEndOfTheLine) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "ab cd\nef");
  DiagnosticEngine diags(sources);
  diags.error(rangeOf(id, 3, 8), "spans two lines");
  EXPECT_EQ(render(sources, diags.diagnostics()[0]),
            "p.rlg:1:4: error: spans two lines\n"
            "  ab cd\n"
            "     ^~\n");
}

TEST(DiagnosticRenderTest, WarningHintAndNote) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "r = 1\nr = 2\n");
  DiagnosticEngine diags(sources);
  Diagnostic &diag =
      diags.error(rangeOf(id, 6, 7), "'r' is defined twice", "rename one");
  diag.notes.push_back({rangeOf(id, 0, 1), "previous definition is here"});
  diags.warning(rangeOf(id, 0, 1), "'r' is never used");
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.warningCount(), 1u);
  EXPECT_TRUE(diags.hasErrors());
  EXPECT_EQ(render(sources, diags.diagnostics()[0]),
            "p.rlg:2:1: error: 'r' is defined twice\n"
            "  r = 2\n"
            "  ^\n"
            "p.rlg:1:1: note: previous definition is here\n"
            "  r = 1\n"
            "  ^\n"
            "hint: rename one\n");
  EXPECT_EQ(render(sources, diags.diagnostics()[1]),
            "p.rlg:1:1: warning: 'r' is never used\n"
            "  r = 1\n"
            "  ^\n");
}

TEST(DiagnosticRenderTest, DiagnosticWithoutLocationHasNoSourceLine) {
  SourceManager sources;
  sources.addBuffer("p.rlg", "abc");
  DiagnosticEngine diags(sources);
  diags.error(SourceRange{}, "cannot open file");
  EXPECT_EQ(render(sources, diags.diagnostics()[0]),
            "error: cannot open file\n");
}

TEST(DiagnosticRenderTest, AllDiagnosticsAreRenderedInSourceOrder) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "aaa\nbbb\n");
  DiagnosticEngine diags(sources);
  diags.error(rangeOf(id, 4, 5), "second");
  diags.error(rangeOf(id, 0, 1), "first");
  std::ostringstream os;
  renderDiagnostics(os, diags);
  std::string out = os.str();
  size_t first = out.find("p.rlg:1:1: error: first");
  size_t second = out.find("p.rlg:2:1: error: second");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_EQ(out.find("more errors"), std::string::npos);
}

TEST(DiagnosticRenderTest, ErrorsPastTheCapAreCountedButNotShown) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "x\n");
  DiagnosticEngine diags(sources);
  const unsigned extra = 5;
  for (unsigned i = 0; i < DiagnosticEngine::kMaxErrors + extra; ++i)
    diags.error(rangeOf(id, 0, 1), "error " + std::to_string(i));
  diags.warning(rangeOf(id, 0, 1), "a warning after the cap");
  EXPECT_EQ(diags.errorCount(), DiagnosticEngine::kMaxErrors + extra);
  EXPECT_EQ(diags.warningCount(), 1u);
  // Kept: the first kMaxErrors errors and the warning.
  EXPECT_EQ(diags.diagnostics().size(), DiagnosticEngine::kMaxErrors + 1);
  std::ostringstream os;
  renderDiagnostics(os, diags);
  std::string out = os.str();
  EXPECT_NE(out.find("error " +
                     std::to_string(DiagnosticEngine::kMaxErrors - 1) + "\n"),
            std::string::npos);
  EXPECT_EQ(
      out.find("error " + std::to_string(DiagnosticEngine::kMaxErrors) + "\n"),
      std::string::npos);
  EXPECT_NE(out.find("a warning after the cap"), std::string::npos);
  std::string tail =
      "note: " + std::to_string(extra) + " more errors not shown\n";
  ASSERT_GE(out.size(), tail.size());
  EXPECT_EQ(out.substr(out.size() - tail.size()), tail);
}

TEST(DiagnosticRenderTest, ControlBytesInTheSourceLinePrintSafely) {
  SourceManager sources;
  std::string text = "a\tb";
  text += '\x01';
  text += '\x1b';
  text += "c";
  text += '\x7f';
  text += '\0';
  text += "d";
  uint32_t id = sources.addBuffer("p.rlg", text);
  DiagnosticEngine diags(sources);
  diags.error(rangeOf(id, 3, 4), "bad byte");
  std::string out = render(sources, diags.diagnostics()[0]);
  EXPECT_EQ(out, "p.rlg:1:4: error: bad byte\n"
                 "  a b??c??d\n"
                 "     ^\n");
  for (char c : out)
    EXPECT_TRUE(c == '\n' ||
                (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f))
        << "unprintable byte " << int(static_cast<unsigned char>(c));
}

TEST(DiagnosticRenderTest, ColorOutputWrapsSeverityInEscapes) {
  SourceManager sources;
  uint32_t id = sources.addBuffer("p.rlg", "abc");
  DiagnosticEngine diags(sources);
  diags.error(rangeOf(id, 0, 1), "colored");
  std::ostringstream plain, color;
  renderDiagnostic(plain, sources, diags.diagnostics()[0], false);
  renderDiagnostic(color, sources, diags.diagnostics()[0], true);
  EXPECT_EQ(plain.str().find('\033'), std::string::npos);
  EXPECT_NE(color.str().find("\033[1;31merror"), std::string::npos);
}

// ---- TextDistance
// ----------------------------------------------------------------

TEST(TextDistanceTest, EditDistance) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("abc", "abc"), 0u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("flaw", "lawn"), 2u);
  EXPECT_EQ(editDistance("temprature", "temperature"), 1u);
  EXPECT_EQ(editDistance("ab", "ba"), 2u);
}

TEST(TextDistanceTest, ClosestMatchPicksTheNearestPlausibleCandidate) {
  std::vector<std::string> params = {"n", "max_tokens", "temperature", "top_k",
                                     "top_p"};
  EXPECT_EQ(closestMatch("temprature", params), "temperature");
  EXPECT_EQ(closestMatch("max_tokenz", params), "max_tokens");
  EXPECT_EQ(closestMatch("top_q", params),
            "top_k"); // First of two at distance 1.
  EXPECT_EQ(closestMatch("completely_different", params), "");
  EXPECT_EQ(closestMatch("anything", {}), "");
}

TEST(TextDistanceTest, ClosestMatchAllowsAboutOneEditPerThreeCharacters) {
  std::vector<std::string> words = {"abcdef"};
  EXPECT_EQ(closestMatch("abcdxy", words), "abcdef"); // 2 edits, 6 chars.
  EXPECT_EQ(closestMatch("abxyzf", words), "");       // 3 edits, 6 chars.
  EXPECT_EQ(closestMatch("x", {"y"}), "y");           // Short words: 1 edit.
}

TEST(TextDistanceTest, DidYouMean) {
  std::vector<std::string> names = {"ref_lp", "old_lp", "adv"};
  EXPECT_EQ(didYouMean("ref_lpp", names), "did you mean 'ref_lp'?");
  EXPECT_EQ(didYouMean("zzzzzzzz", names), "");
}

TEST(TextDistanceTest, QuotedList) {
  EXPECT_EQ(quotedList({}), "");
  EXPECT_EQ(quotedList({"a"}), "'a'");
  EXPECT_EQ(quotedList({"a", "b"}), "'a' or 'b'");
  EXPECT_EQ(quotedList({"a", "b", "c"}), "'a', 'b' or 'c'");
  EXPECT_EQ(quotedList({"a", "b", "c"}, "and"), "'a', 'b' and 'c'");
}

} // namespace
