// The .rlg lexer: comments, identifiers, keywords, numbers, strings,
// punctuation.
#include "rlg/DSL/Lexer.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <unordered_map>

namespace rlg::dsl {

const char *describe(TokenKind kind) {
  switch (kind) {
  case TokenKind::EndOfFile:
    return "end of file";
  case TokenKind::Error:
    return "invalid token";
  case TokenKind::Identifier:
    return "identifier";
  case TokenKind::Integer:
    return "integer";
  case TokenKind::Float:
    return "number";
  case TokenKind::String:
    return "string";
  case TokenKind::KwModel:
    return "'model'";
  case TokenKind::KwData:
    return "'data'";
  case TokenKind::KwReward:
    return "'reward'";
  case TokenKind::KwStep:
    return "'step'";
  case TokenKind::KwUpdate:
    return "'update'";
  case TokenKind::KwRun:
    return "'run'";
  case TokenKind::KwSchedule:
    return "'schedule'";
  case TokenKind::KwParam:
    return "'param'";
  case TokenKind::KwTrue:
    return "'true'";
  case TokenKind::KwFalse:
    return "'false'";
  case TokenKind::LBrace:
    return "'{'";
  case TokenKind::RBrace:
    return "'}'";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Semicolon:
    return "';'";
  case TokenKind::Equal:
    return "'='";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Dot:
    return "'.'";
  case TokenKind::Plus:
    return "'+'";
  case TokenKind::Minus:
    return "'-'";
  case TokenKind::Star:
    return "'*'";
  case TokenKind::Slash:
    return "'/'";
  }
  return "token";
}

namespace {

class Lexer {
public:
  Lexer(uint32_t bufferId, const SourceManager &sources,
        DiagnosticEngine &diags)
      : bufferId_(bufferId), text_(sources.text(bufferId)), diags_(diags) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    bool newline = true;
    while (true) {
      newline |= skipSpaceAndComments();
      Token token = next();
      token.newlineBefore = newline;
      newline = false;
      tokens.push_back(std::move(token));
      if (tokens.back().is(TokenKind::EndOfFile))
        return tokens;
    }
  }

private:
  SourceRange range(size_t begin, size_t end) const {
    return {{bufferId_, static_cast<uint32_t>(begin)},
            static_cast<uint32_t>(end)};
  }
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool atEnd() const { return pos_ >= text_.size(); }

  /// Skips blanks and '#' comments; returns whether a newline was crossed.
  bool skipSpaceAndComments() {
    bool newline = false;
    while (!atEnd()) {
      char c = peek();
      if (c == '\n') {
        newline = true;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (!atEnd() && peek() != '\n')
          ++pos_;
      } else {
        break;
      }
    }
    return newline;
  }

  Token make(TokenKind kind, size_t begin) {
    Token token;
    token.kind = kind;
    token.range = range(begin, pos_);
    return token;
  }

  Token error(size_t begin, std::string message, std::string hint = {}) {
    diags_.error(range(begin, pos_), std::move(message), std::move(hint));
    return make(TokenKind::Error, begin);
  }

  Token next() {
    size_t begin = pos_;
    if (atEnd())
      return make(TokenKind::EndOfFile, begin);
    unsigned char c = static_cast<unsigned char>(peek());
    if (std::isalpha(c) || c == '_')
      return identifier();
    if (std::isdigit(c))
      return number();
    if (c == '"')
      return string();
    ++pos_;
    switch (c) {
    case '{':
      return make(TokenKind::LBrace, begin);
    case '}':
      return make(TokenKind::RBrace, begin);
    case '(':
      return make(TokenKind::LParen, begin);
    case ')':
      return make(TokenKind::RParen, begin);
    case ',':
      return make(TokenKind::Comma, begin);
    case ';':
      return make(TokenKind::Semicolon, begin);
    case '=':
      return make(TokenKind::Equal, begin);
    case ':':
      return make(TokenKind::Colon, begin);
    case '.':
      if (std::isdigit(static_cast<unsigned char>(peek()))) {
        while (std::isalnum(static_cast<unsigned char>(peek())) ||
               peek() == '.')
          ++pos_;
        return error(begin, "a number must start with a digit",
                     "write 0." + std::string(text_.substr(begin + 1,
                                                           pos_ - begin - 1)));
      }
      return make(TokenKind::Dot, begin);
    case '+':
      return make(TokenKind::Plus, begin);
    case '-':
      return make(TokenKind::Minus, begin);
    case '*':
      return make(TokenKind::Star, begin);
    case '/':
      return make(TokenKind::Slash, begin);
    default:
      break;
    }
    if (c >= 0x80) {
      // Consume the whole UTF-8 sequence so the caret covers one character.
      while (!atEnd() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80)
        ++pos_;
      return error(begin, "non-ASCII character outside a string or comment",
                   "names and operators are ASCII; put text inside \"...\"");
    }
    if (c < 0x20 || c == 0x7f)
      return error(begin, "invalid control character (byte 0x" + hex(c) + ")");
    // A single-quoted string or an index in brackets is one mistake: cover it
    // with one error instead of one per bracket or quote.
    if (c == '\'' || c == '[') {
      char close = c == '[' ? ']' : '\'';
      size_t end = pos_;
      while (end < text_.size() && text_[end] != '\n' && text_[end] != close)
        ++end;
      if (end < text_.size() && text_[end] == close)
        pos_ = end + 1;
      if (c == '\'')
        return error(begin, "strings use double quotes", "write \"...\"");
      return error(begin, "brackets are not part of the language",
                   "batch sizes are written as calls, e.g. train.batch(32)");
    }
    return error(begin, std::string("unexpected character '") + char(c) + "'");
  }

  static std::string hex(unsigned char c) {
    const char *digits = "0123456789abcdef";
    return {digits[c >> 4], digits[c & 15]};
  }

  Token identifier() {
    size_t begin = pos_;
    while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
      ++pos_;
    static const std::unordered_map<std::string_view, TokenKind> keywords = {
        {"model", TokenKind::KwModel},       {"data", TokenKind::KwData},
        {"reward", TokenKind::KwReward},     {"step", TokenKind::KwStep},
        {"update", TokenKind::KwUpdate},     {"run", TokenKind::KwRun},
        {"schedule", TokenKind::KwSchedule}, {"true", TokenKind::KwTrue},
        {"false", TokenKind::KwFalse},       {"param", TokenKind::KwParam}};
    std::string_view word = text_.substr(begin, pos_ - begin);
    auto it = keywords.find(word);
    Token token =
        make(it == keywords.end() ? TokenKind::Identifier : it->second, begin);
    token.text = std::string(word);
    return token;
  }

  Token number() {
    size_t begin = pos_;
    bool isFloat = false;
    while (std::isdigit(static_cast<unsigned char>(peek())))
      ++pos_;
    if (peek() == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))) {
      isFloat = true;
      ++pos_;
      while (std::isdigit(static_cast<unsigned char>(peek())))
        ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      size_t save = pos_;
      ++pos_;
      if (peek() == '+' || peek() == '-')
        ++pos_;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) {
        pos_ = save + 1;
        return error(begin, "exponent has no digits", "write e.g. 1e-4");
      }
      isFloat = true;
      while (std::isdigit(static_cast<unsigned char>(peek())))
        ++pos_;
    }
    if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_' ||
        (peek() == '.' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
      while (std::isalnum(static_cast<unsigned char>(peek())) ||
             peek() == '_' || peek() == '.')
        ++pos_;
      return error(begin,
                   "invalid number '" +
                       std::string(text_.substr(begin, pos_ - begin)) + "'",
                   "separate a number from the name after it");
    }
    std::string spelling(text_.substr(begin, pos_ - begin));
    errno = 0;
    Token token = make(isFloat ? TokenKind::Float : TokenKind::Integer, begin);
    if (isFloat) {
      token.number = std::strtod(spelling.c_str(), nullptr);
    } else {
      token.integer = std::strtoll(spelling.c_str(), nullptr, 10);
      token.number = static_cast<double>(token.integer);
    }
    if (errno == ERANGE)
      return error(begin, "number '" + spelling + "' is out of range");
    return token;
  }

  Token string() {
    size_t begin = pos_++;
    std::string value;
    while (true) {
      if (atEnd() || peek() == '\n')
        return error(begin, "unterminated string",
                     "close it with '\"' on the same line");
      char c = peek();
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        size_t escapeBegin = pos_;
        ++pos_;
        char e = peek();
        switch (e) {
        case '"':
          value += '"';
          break;
        case '\\':
          value += '\\';
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        default: {
          if (!atEnd() && e != '\n')
            ++pos_;
          diags_.error(range(escapeBegin, pos_),
                       "unknown escape sequence in string",
                       "use \\\" \\\\ \\n or \\t");
          // Keep scanning so the rest of the string is not misread as code.
          continue;
        }
        }
        ++pos_;
        continue;
      }
      value += c;
      ++pos_;
    }
    Token token = make(TokenKind::String, begin);
    token.text = std::move(value);
    return token;
  }

  uint32_t bufferId_;
  std::string_view text_;
  DiagnosticEngine &diags_;
  size_t pos_ = 0;
};

} // namespace

std::vector<Token> lex(uint32_t bufferId, const SourceManager &sources,
                       DiagnosticEngine &diags) {
  return Lexer(bufferId, sources, diags).run();
}

} // namespace rlg::dsl
