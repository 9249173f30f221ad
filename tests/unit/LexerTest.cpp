// Tests the .rlg lexer: tokens, values, ranges, line breaks and errors.
#include "rlg/DSL/Lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace rlg;
using namespace rlg::dsl;

namespace {

struct Lexed {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  uint32_t id = 0;
  std::vector<Token> tokens;

  explicit Lexed(std::string text) {
    id = sources.addBuffer("lex.rlg", std::move(text));
    tokens = lex(id, sources, diags);
  }
  std::vector<TokenKind> kinds() const {
    std::vector<TokenKind> out;
    for (const Token &token : tokens)
      out.push_back(token.kind);
    return out;
  }
  std::string_view spelling(size_t i) const {
    return sources.slice(tokens.at(i).range);
  }
};

using K = TokenKind;

TEST(LexerTest, EmptyInputIsJustEndOfFile) {
  Lexed l("");
  ASSERT_EQ(l.tokens.size(), 1u);
  EXPECT_EQ(l.tokens[0].kind, K::EndOfFile);
  EXPECT_EQ(l.diags.errorCount(), 0u);

  Lexed blank("  \n\t\r\n  # only a comment\n");
  EXPECT_EQ(blank.kinds(), std::vector<K>{K::EndOfFile});
  EXPECT_EQ(blank.diags.errorCount(), 0u);
}

TEST(LexerTest, KeywordsAndIdentifiers) {
  Lexed l("model data reward step update run schedule true false actor _x x_1 "
          "Model");
  EXPECT_EQ(l.kinds(),
            (std::vector<K>{K::KwModel, K::KwData, K::KwReward, K::KwStep,
                            K::KwUpdate, K::KwRun, K::KwSchedule, K::KwTrue,
                            K::KwFalse, K::Identifier, K::Identifier,
                            K::Identifier, K::Identifier, K::EndOfFile}));
  EXPECT_EQ(l.diags.errorCount(), 0u);
  EXPECT_EQ(l.tokens[9].text, "actor");
  EXPECT_EQ(l.tokens[10].text, "_x");
  EXPECT_EQ(l.tokens[11].text, "x_1");
  EXPECT_EQ(l.tokens[12].text, "Model"); // Keywords are case-sensitive.
  // Keywords keep their spelling so that the parser can use them as names.
  EXPECT_EQ(l.tokens[4].text, "update");
  EXPECT_TRUE(l.tokens[0].isKeyword());
  EXPECT_TRUE(l.tokens[8].isKeyword());
  EXPECT_FALSE(l.tokens[9].isKeyword());
}

TEST(LexerTest, IntegerFloatAndExponentNumbers) {
  Lexed l("0 32 1000 0.95 1.0 1e-4 2.5E3 5e+2 7e0");
  EXPECT_EQ(l.kinds(), (std::vector<K>{K::Integer, K::Integer, K::Integer,
                                       K::Float, K::Float, K::Float, K::Float,
                                       K::Float, K::Float, K::EndOfFile}));
  EXPECT_EQ(l.diags.errorCount(), 0u);
  EXPECT_EQ(l.tokens[0].integer, 0);
  EXPECT_EQ(l.tokens[1].integer, 32);
  EXPECT_EQ(l.tokens[2].integer, 1000);
  EXPECT_DOUBLE_EQ(l.tokens[2].number, 1000.0);
  EXPECT_DOUBLE_EQ(l.tokens[3].number, 0.95);
  EXPECT_DOUBLE_EQ(l.tokens[4].number, 1.0);
  EXPECT_DOUBLE_EQ(l.tokens[5].number, 1e-4);
  EXPECT_DOUBLE_EQ(l.tokens[6].number, 2500.0);
  EXPECT_DOUBLE_EQ(l.tokens[7].number, 500.0);
  EXPECT_DOUBLE_EQ(l.tokens[8].number, 7.0);
}

TEST(LexerTest, LargestIntegerIsAccepted) {
  Lexed l("9223372036854775807");
  ASSERT_EQ(l.tokens[0].kind, K::Integer);
  EXPECT_EQ(l.tokens[0].integer, 9223372036854775807LL);
  EXPECT_EQ(l.diags.errorCount(), 0u);
}

TEST(LexerTest, NumbersHaveNoSignAndNeedDigitsAfterThePoint) {
  Lexed minus("-0.5");
  EXPECT_EQ(minus.kinds(), (std::vector<K>{K::Minus, K::Float, K::EndOfFile}));
  Lexed trailingDot("5.");
  EXPECT_EQ(trailingDot.kinds(),
            (std::vector<K>{K::Integer, K::Dot, K::EndOfFile}));
  EXPECT_EQ(trailingDot.diags.errorCount(), 0u);
}

TEST(LexerTest, StringsDecodeEscapes) {
  Lexed l(
      R"("plain" "q\"uote" "back\\slash" "new\nline" "tab\there" "# not a comment")");
  EXPECT_EQ(l.kinds(),
            (std::vector<K>{K::String, K::String, K::String, K::String,
                            K::String, K::String, K::EndOfFile}));
  EXPECT_EQ(l.diags.errorCount(), 0u);
  EXPECT_EQ(l.tokens[0].text, "plain");
  EXPECT_EQ(l.tokens[1].text, "q\"uote");
  EXPECT_EQ(l.tokens[2].text, "back\\slash");
  EXPECT_EQ(l.tokens[3].text, "new\nline");
  EXPECT_EQ(l.tokens[4].text, "tab\there");
  EXPECT_EQ(l.tokens[5].text, "# not a comment");
  // The range covers the quotes.
  EXPECT_EQ(l.spelling(1), R"("q\"uote")");
}

TEST(LexerTest, NonAsciiIsAllowedInStringsAndComments) {
  Lexed l("\"caf\xc3\xa9\" # na\xc3\xafve \xff\nx");
  EXPECT_EQ(l.kinds(),
            (std::vector<K>{K::String, K::Identifier, K::EndOfFile}));
  EXPECT_EQ(l.diags.errorCount(), 0u);
  EXPECT_EQ(l.tokens[0].text, "caf\xc3\xa9");
}

TEST(LexerTest, Punctuation) {
  Lexed l("{}(),;=:.+-*/");
  EXPECT_EQ(l.kinds(), (std::vector<K>{
                           K::LBrace, K::RBrace, K::LParen, K::RParen, K::Comma,
                           K::Semicolon, K::Equal, K::Colon, K::Dot, K::Plus,
                           K::Minus, K::Star, K::Slash, K::EndOfFile}));
  EXPECT_EQ(l.diags.errorCount(), 0u);
}

TEST(LexerTest, NewlineBeforeFlags) {
  Lexed l("a b\nc # comment\n\n  d, # trailing\ne");
  ASSERT_EQ(l.kinds(), (std::vector<K>{K::Identifier, K::Identifier,
                                       K::Identifier, K::Identifier, K::Comma,
                                       K::Identifier, K::EndOfFile}));
  EXPECT_TRUE(l.tokens[0].newlineBefore); // The first token starts a line.
  EXPECT_FALSE(l.tokens[1].newlineBefore);
  EXPECT_TRUE(l.tokens[2].newlineBefore);
  EXPECT_TRUE(l.tokens[3].newlineBefore); // Across a comment and a blank line.
  EXPECT_FALSE(l.tokens[4].newlineBefore);
  EXPECT_TRUE(l.tokens[5].newlineBefore);
  EXPECT_FALSE(l.tokens[6].newlineBefore);

  Lexed crlf("a\r\nb");
  ASSERT_EQ(crlf.tokens.size(), 3u);
  EXPECT_TRUE(crlf.tokens[1].newlineBefore);
  EXPECT_EQ(crlf.tokens[1].text, "b");
}

TEST(LexerTest, TokenRangesAreByteOffsets) {
  Lexed l("  foo = 12\n  \"s\"");
  ASSERT_EQ(l.tokens.size(), 5u);
  EXPECT_EQ(l.tokens[0].range.begin.bufferId, l.id);
  EXPECT_EQ(l.tokens[0].range.begin.offset, 2u);
  EXPECT_EQ(l.tokens[0].range.end, 5u);
  EXPECT_EQ(l.tokens[1].range.begin.offset, 6u);
  EXPECT_EQ(l.tokens[1].range.end, 7u);
  EXPECT_EQ(l.tokens[2].range.begin.offset, 8u);
  EXPECT_EQ(l.tokens[2].range.end, 10u);
  EXPECT_EQ(l.tokens[3].range.begin.offset, 13u);
  EXPECT_EQ(l.tokens[3].range.end, 16u);
  EXPECT_EQ(l.tokens[4].kind, K::EndOfFile);
  EXPECT_EQ(l.tokens[4].range.begin.offset, 16u);
  LineCol s = l.sources.lineCol(l.tokens[3].range.begin);
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(s.column, 3u);
}

TEST(LexerTest, DescribeNamesTokenKinds) {
  EXPECT_STREQ(describe(K::LBrace), "'{'");
  EXPECT_STREQ(describe(K::Identifier), "identifier");
  EXPECT_STREQ(describe(K::KwUpdate), "'update'");
  EXPECT_STREQ(describe(K::EndOfFile), "end of file");
}

// ---- Lexical errors: one error each, with an Error token over the bad text
// ----

struct LexErrorCase {
  const char *name;
  std::string text;
  size_t errorToken;   // Index of the Error token.
  uint32_t begin, end; // Its byte range.
  const char *message; // A part of the error message.
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const LexErrorCase &c, std::ostream *os) { *os << c.name; }

class LexErrorTest : public ::testing::TestWithParam<LexErrorCase> {};

TEST_P(LexErrorTest, OneErrorAndAnErrorToken) {
  const LexErrorCase &c = GetParam();
  Lexed l(c.text);
  EXPECT_EQ(l.diags.errorCount(), 1u);
  ASSERT_EQ(l.diags.diagnostics().size(), 1u);
  const Diagnostic &diag = l.diags.diagnostics()[0];
  EXPECT_EQ(diag.severity, Severity::Error);
  EXPECT_NE(diag.message.find(c.message), std::string::npos) << diag.message;
  ASSERT_LT(c.errorToken, l.tokens.size());
  const Token &token = l.tokens[c.errorToken];
  EXPECT_EQ(token.kind, K::Error);
  EXPECT_EQ(token.range.begin.offset, c.begin);
  EXPECT_EQ(token.range.end, c.end);
  EXPECT_EQ(diag.range.begin.offset, c.begin);
  EXPECT_EQ(diag.range.end, c.end);
  size_t errorTokens = 0;
  for (const Token &t : l.tokens)
    errorTokens += t.is(K::Error);
  EXPECT_EQ(errorTokens, 1u);
  EXPECT_EQ(l.tokens.back().kind, K::EndOfFile);
}

INSTANTIATE_TEST_SUITE_P(
    Lexer, LexErrorTest,
    ::testing::Values(
        LexErrorCase{"UnterminatedString", "x = \"abc", 2, 4, 8,
                     "unterminated string"},
        LexErrorCase{"StringBrokenByNewline", "\"abc\nx", 0, 0, 4,
                     "unterminated string"},
        LexErrorCase{"NumberFollowedByLetters", "a = 12ab", 2, 4, 8,
                     "invalid number '12ab'"},
        LexErrorCase{"ThousandsSuffix", "32k", 0, 0, 3, "invalid number '32k'"},
        LexErrorCase{"DecimalFollowedByLetter", "0.5x", 0, 0, 4,
                     "invalid number '0.5x'"},
        LexErrorCase{"TwoDecimalPoints", "1.2.3", 0, 0, 5, "invalid number"},
        LexErrorCase{"ExponentWithoutDigits", "1e", 0, 0, 2,
                     "exponent has no digits"},
        LexErrorCase{"ExponentSignWithoutDigits", "x 1e+", 1, 2, 4,
                     "exponent has no digits"},
        LexErrorCase{"UnexpectedCharacter", "a @ b", 1, 2, 3,
                     "unexpected character '@'"},
        LexErrorCase{"SingleQuote", "'x' y", 0, 0, 3,
                     "strings use double quotes"},
        LexErrorCase{"NonAsciiUtf8", "a \xc3\xa9 b", 1, 2, 4, "non-ASCII"},
        LexErrorCase{"NonAsciiLoneByte", "\xff", 0, 0, 1, "non-ASCII"},
        LexErrorCase{"ControlByte", std::string("a\x01", 2), 1, 1, 2,
                     "control character"},
        LexErrorCase{"NulByte", std::string("a\0b", 3), 1, 1, 2,
                     "control character"},
        LexErrorCase{"LeadingDecimalPoint", "x = .5", 2, 4, 6,
                     "must start with a digit"},
        LexErrorCase{"IntegerOutOfRange", "n = 99999999999999999999", 2, 4, 24,
                     "out of range"}),
    [](const ::testing::TestParamInfo<LexErrorCase> &info) {
      return info.param.name;
    });

TEST(LexerTest, LeadingDecimalPointSuggestsAZero) {
  Lexed l(".5");
  ASSERT_EQ(l.diags.diagnostics().size(), 1u);
  EXPECT_EQ(l.diags.diagnostics()[0].hint, "write 0.5");
}

TEST(LexerTest, SquareBracketHintsAtBatchCalls) {
  Lexed l("[32]");
  ASSERT_GE(l.diags.diagnostics().size(), 1u);
  EXPECT_NE(l.diags.diagnostics()[0].hint.find("batch"), std::string::npos);
}

TEST(LexerTest, UnknownEscapeIsReportedAtTheEscapeAndTheStringEnds) {
  Lexed l(R"(x = "a\qb" y)");
  EXPECT_EQ(l.diags.errorCount(), 1u);
  ASSERT_EQ(l.diags.diagnostics().size(), 1u);
  const Diagnostic &diag = l.diags.diagnostics()[0];
  EXPECT_NE(diag.message.find("escape"), std::string::npos) << diag.message;
  EXPECT_EQ(diag.range.begin.offset, 6u); // The backslash.
  EXPECT_EQ(diag.range.end, 8u);          // Through 'q'.
  // The closing quote still ends the string: 'y' is lexed as a name.
  ASSERT_EQ(l.tokens.size(), 5u);
  EXPECT_EQ(l.tokens[2].range.begin.offset, 4u);
  EXPECT_EQ(l.tokens[2].range.end, 10u);
  EXPECT_EQ(l.tokens[3].kind, K::Identifier);
  EXPECT_EQ(l.tokens[3].text, "y");
}

TEST(LexerTest, LexingContinuesAfterErrors) {
  Lexed l("a @ b $ 12x c");
  EXPECT_EQ(l.diags.errorCount(), 3u);
  EXPECT_EQ(l.kinds(),
            (std::vector<K>{K::Identifier, K::Error, K::Identifier, K::Error,
                            K::Error, K::Identifier, K::EndOfFile}));
  EXPECT_EQ(l.tokens[5].text, "c");
}

} // namespace
