// Tokens of the .rlg language.
#pragma once

#include "rlg/Support/SourceManager.h"

#include <string>

namespace rlg::dsl {

enum class TokenKind {
  EndOfFile,
  Error, // A lexical error already reported; the parser skips it.
  Identifier,
  Integer,
  Float,
  String,
  // Keywords.
  KwModel,
  KwData,
  KwReward,
  KwStep,
  KwUpdate,
  KwRun,
  KwSchedule,
  KwParam,
  KwTrue,
  KwFalse,
  // Punctuation.
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Semicolon,
  Equal,
  Colon,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
};

/// How a token is named in messages ("'{'", "identifier").
const char *describe(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  SourceRange range;
  std::string text; // Identifier name, or the decoded string value.
  double number = 0;
  long long integer = 0;
  bool newlineBefore =
      false; // A line break separates it from the previous token.

  bool is(TokenKind k) const { return kind == k; }
  bool isKeyword() const {
    return kind >= TokenKind::KwModel && kind <= TokenKind::KwFalse;
  }
};

} // namespace rlg::dsl
