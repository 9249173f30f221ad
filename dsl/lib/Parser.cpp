// Recursive-descent parser for .rlg programs.
#include "rlg/DSL/Parser.h"

#include "rlg/DSL/Lexer.h"
#include "rlg/Support/TextDistance.h"

#include <deque>

namespace rlg::dsl {
namespace {

/// Thrown to abandon the current declaration or statement after an error.
struct ParseAbort {};

class Parser {
public:
  Parser(std::vector<Token> tokens, DiagnosticEngine &diags)
      : tokens_(std::move(tokens)), diags_(diags) {}

  Program parse(uint32_t bufferId) {
    Program program;
    program.bufferId = bufferId;
    while (!at(TokenKind::EndOfFile)) {
      size_t before = pos_;
      try {
        parseDeclaration(program);
      } catch (ParseAbort &) {
        syncToDeclaration();
      }
      if (pos_ == before) // Never loop without progress.
        advance();
    }
    return program;
  }

private:
  // ---- Token access -------------------------------------------------------
  const Token &peek(size_t ahead = 0) const {
    size_t index = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[index];
  }
  bool at(TokenKind kind) const { return peek().is(kind); }
  const Token &advance() {
    const Token &token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size())
      ++pos_;
    return token;
  }
  bool accept(TokenKind kind) {
    if (!at(kind))
      return false;
    advance();
    return true;
  }
  SourceRange previousRange() const {
    return tokens_[pos_ > 0 ? pos_ - 1 : 0].range;
  }

  [[noreturn]] void fail(const Token &token, std::string message,
                         std::string hint = {}) {
    // An Error token was reported by the lexer already: say nothing more.
    if (!token.is(TokenKind::Error))
      diags_.error(token.range, std::move(message), std::move(hint));
    throw ParseAbort();
  }

  std::string found(const Token &token) const {
    if (token.is(TokenKind::Identifier))
      return "'" + token.text + "'";
    return describe(token.kind);
  }

  const Token &expect(TokenKind kind, const std::string &context,
                      std::string hint = {}) {
    if (!at(kind))
      fail(peek(),
           std::string("expected ") + describe(kind) + " " + context +
               ", found " + found(peek()),
           std::move(hint));
    return advance();
  }

  /// A name where keywords read as plain words: after '.' and before '=' in
  /// argument lists (actor.update { ... }, eval(test, model = actor)).
  const Token &expectWord(const std::string &what) {
    if (peek().isKeyword()) {
      words_.push_back(
          advance()); // The lexer keeps a keyword's spelling in `text`.
      words_.back().kind = TokenKind::Identifier;
      return words_.back();
    }
    return expectIdentifier(what);
  }

  const Token &expectIdentifier(const std::string &what) {
    if (peek().isKeyword())
      fail(peek(),
           "'" + peek().text + "' is a keyword and cannot be used as " + what,
           "choose another name");
    if (!at(TokenKind::Identifier))
      fail(peek(), "expected " + what + ", found " + found(peek()));
    return advance();
  }

  // ---- Recovery -----------------------------------------------------------
  static bool startsDeclaration(TokenKind kind) {
    return kind == TokenKind::KwModel || kind == TokenKind::KwData ||
           kind == TokenKind::KwParam || kind == TokenKind::KwReward ||
           kind == TokenKind::KwStep || kind == TokenKind::KwRun ||
           kind == TokenKind::KwSchedule;
  }

  /// Skips to the next declaration keyword that starts a line outside braces.
  void syncToDeclaration() {
    int depth = 0;
    while (!at(TokenKind::EndOfFile)) {
      const Token &token = peek();
      if (depth <= 0 && startsDeclaration(token.kind) && token.newlineBefore)
        return;
      if (token.is(TokenKind::LBrace))
        ++depth;
      else if (token.is(TokenKind::RBrace) && --depth < 0)
        depth = 0;
      advance();
    }
  }

  /// Skips to the next item that starts a line inside the current braces,
  /// or to the closing brace. Returns false at a declaration keyword or EOF.
  bool syncToItem() {
    int depth = 0;
    while (!at(TokenKind::EndOfFile)) {
      const Token &token = peek();
      if (depth == 0) {
        if (token.is(TokenKind::RBrace))
          return true;
        if (token.newlineBefore && startsDeclaration(token.kind) &&
            !token.is(TokenKind::KwReward) && !peek(1).is(TokenKind::Equal))
          return false;
        if (token.newlineBefore &&
            (token.is(TokenKind::Identifier) || token.is(TokenKind::KwUpdate)))
          return true;
      }
      if (token.is(TokenKind::LBrace) || token.is(TokenKind::LParen))
        ++depth;
      else if ((token.is(TokenKind::RBrace) || token.is(TokenKind::RParen)) &&
               depth > 0)
        --depth;
      advance();
    }
    return false;
  }

  /// Consumes separators between items; an item must follow on a new line or
  /// after ',' or ';'.
  void expectSeparatorOr(TokenKind closer, const char *what) {
    if (at(closer))
      return;
    if (accept(TokenKind::Comma) || accept(TokenKind::Semicolon)) {
      while (accept(TokenKind::Comma) || accept(TokenKind::Semicolon)) {
      }
      return;
    }
    if (!peek().newlineBefore && !at(TokenKind::EndOfFile))
      fail(peek(), std::string("expected ',' or a new line between ") + what +
                       ", found " + found(peek()));
  }

  // ---- Declarations -------------------------------------------------------
  void parseDeclaration(Program &program) {
    const Token &token = peek();
    switch (token.kind) {
    case TokenKind::KwParam:
      return parseParam(program);
    case TokenKind::KwModel:
      return parseModel(program);
    case TokenKind::KwData:
      return parseData(program);
    case TokenKind::KwReward:
      return parseReward(program);
    case TokenKind::KwStep:
      return parseStep(program);
    case TokenKind::KwRun:
      program.runs.push_back(parseItemBlock("run"));
      return;
    case TokenKind::KwSchedule:
      program.schedules.push_back(parseItemBlock("schedule"));
      return;
    case TokenKind::Identifier:
      if (peek(1).is(TokenKind::Equal))
        fail(token, "a statement must be inside a step",
             "put node definitions in a 'step NAME(prompts = ...) { ... }' "
             "block");
      [[fallthrough]];
    default:
      fail(token, "expected a declaration ('param', 'model', 'data', "
                  "'reward', 'step', 'run' or 'schedule'), found " +
                      found(token));
    }
  }

  void parseModel(Program &program) {
    ModelDecl decl;
    SourceRange begin = advance().range;
    const Token &name = expectIdentifier("a model name");
    decl.name = name.text;
    decl.nameRange = name.range;
    expect(TokenKind::Colon, "after the model name",
           "write 'model NAME: policy(\"tiny\")'");
    if (peek().is(
            TokenKind::KwReward)) { // `reward` is both a keyword and a role.
      decl.role = "reward";
      decl.roleRange = advance().range;
    } else {
      const Token &role =
          expectIdentifier("a model role (policy, value, reward or frozen)");
      decl.role = role.text;
      decl.roleRange = role.range;
    }
    if (accept(TokenKind::LParen))
      decl.args = parseArgs();
    if (at(TokenKind::LBrace))
      decl.settings = parseSettings("model settings");
    decl.range = SourceRange::between(begin, previousRange());
    program.models.push_back(std::move(decl));
  }

  void parseParam(Program &program) {
    ParamDecl decl;
    SourceRange begin = advance().range;
    const Token &name = expectIdentifier("a parameter name");
    decl.name = name.text;
    decl.nameRange = name.range;
    expect(TokenKind::Equal, "after the parameter name",
           "write 'param NAME = \"default value\"'");
    decl.value = parseExpr();
    decl.range = SourceRange::between(begin, previousRange());
    program.params.push_back(std::move(decl));
  }

  void parseData(Program &program) {
    DataDecl decl;
    SourceRange begin = advance().range;
    const Token &name = expectIdentifier("a data name");
    decl.name = name.text;
    decl.nameRange = name.range;
    expect(TokenKind::Equal, "after the data name");
    decl.source = parseExpr();
    decl.range = SourceRange::between(begin, previousRange());
    program.data.push_back(std::move(decl));
  }

  void parseReward(Program &program) {
    RewardDecl decl;
    SourceRange begin = advance().range;
    const Token &name = expectIdentifier("a reward name");
    decl.name = name.text;
    decl.nameRange = name.range;
    expect(TokenKind::Equal, "after the reward name");
    decl.value = parseExpr();
    decl.range = SourceRange::between(begin, previousRange());
    program.rewards.push_back(std::move(decl));
  }

  void parseStep(Program &program) {
    StepDecl step;
    SourceRange begin = advance().range;
    const Token &name = expectIdentifier("a step name");
    step.name = name.text;
    step.nameRange = name.range;
    expect(TokenKind::LParen, "after the step name",
           "a step names its inputs: step NAME(prompts = train.batch(32)) { "
           "... }");
    while (!at(TokenKind::RParen)) {
      Stmt param{Stmt::Kind::Param, {}, {}, {}, nullptr, {}, {}};
      const Token &pname = expectIdentifier("a step parameter name");
      param.name = pname.text;
      param.nameRange = pname.range;
      expect(TokenKind::Equal, "after the parameter name",
             "parameters are bound to data: prompts = train.batch(32)");
      param.value = parseExpr();
      param.range = SourceRange::between(pname.range, previousRange());
      step.nodes.push_back(std::move(param));
      if (!accept(TokenKind::Comma))
        break;
    }
    expect(TokenKind::RParen, "to close the step parameters");
    // A step without its '}' is kept: its statements are still checked.
    parseBlockItems("body of step '" + step.name + "'", "statements",
                    [&] { step.nodes.push_back(parseStatement()); });
    step.range = SourceRange::between(begin, previousRange());
    program.steps.push_back(std::move(step));
  }

  Stmt parseStatement() {
    if (at(TokenKind::KwUpdate)) {
      Stmt stmt{Stmt::Kind::Update, {}, {}, {}, nullptr, {}, {}};
      SourceRange begin = advance().range;
      const Token &model = expectIdentifier("the name of the model to update");
      stmt.name = model.text;
      stmt.nameRange = model.range;
      if (!at(TokenKind::LBrace))
        fail(peek(),
             "expected '{' after 'update " + model.text + "', found " +
                 found(peek()),
             "write update " + model.text + " { loss = ... }");
      stmt.settings = parseSettings("update settings");
      stmt.range = SourceRange::between(begin, previousRange());
      return stmt;
    }
    Stmt stmt{Stmt::Kind::Assign, {}, {}, {}, nullptr, {}, {}};
    if (peek().isKeyword() && peek(1).is(TokenKind::Equal))
      fail(peek(), "'" + peek().text + "' is a keyword and cannot name a value",
           "choose another name, such as " + peek().text + "_value");
    const Token &name = expectIdentifier(
        "a statement ('NAME = ...' or 'update MODEL { ... }')");
    stmt.name = name.text;
    stmt.nameRange = name.range;
    if (!at(TokenKind::Equal)) {
      std::string hint;
      if (at(TokenKind::Identifier) && editDistance(name.text, "update") <= 2)
        hint = "did you mean 'update'?";
      fail(peek(),
           "expected '=' after '" + name.text + "', found " + found(peek()),
           hint.empty()
               ? "a statement binds a name: x = generate(actor, prompts)"
               : hint);
    }
    advance();
    stmt.value = parseExpr();
    stmt.range = SourceRange::between(name.range, previousRange());
    return stmt;
  }

  std::vector<Setting> parseSettings(const char *what) {
    std::vector<Setting> settings;
    bool closed = parseBlockItems(what, "settings", [&] {
      Setting setting;
      const Token &key =
          expectIdentifier(std::string("a setting name in ") + what);
      setting.name = key.text;
      setting.nameRange = key.range;
      expect(TokenKind::Equal, "after '" + key.text + "'",
             "settings are written as " + key.text + " = VALUE");
      setting.value = parseExpr();
      settings.push_back(std::move(setting));
    });
    if (!closed)
      throw ParseAbort(); // The declaration is incomplete.
    return settings;
  }

  /// Parses a `{ ... }` block whose '{' is next, calling `parseItem` for each
  /// item; items are separated by ',', ';' or line breaks. After an error it
  /// resumes at the next item. Returns false when the block ended without its
  /// '}' (recovery reached a declaration or the end of file).
  template <typename ParseItem>
  bool parseBlockItems(const std::string &what, const char *items,
                       ParseItem parseItem) {
    expect(TokenKind::LBrace, "to open the " + what);
    while (true) {
      while (accept(TokenKind::Comma) || accept(TokenKind::Semicolon)) {
      }
      if (accept(TokenKind::RBrace))
        return true;
      if (at(TokenKind::EndOfFile)) {
        diags_.error(peek().range, "unexpected end of file in the " + what,
                     "close it with '}'");
        return false;
      }
      size_t before = pos_;
      try {
        parseItem();
        expectSeparatorOr(TokenKind::RBrace, items);
      } catch (ParseAbort &) {
        if (!syncToItem())
          return false;
      }
      if (pos_ == before) // Never loop without progress.
        advance();
    }
  }

  ItemBlock parseItemBlock(const char *keyword) {
    ItemBlock block;
    block.keywordRange = advance().range;
    parseBlockItems(std::string(keyword) + " block", "items",
                    [&] { block.items.push_back(parseItem(keyword)); });
    block.range = SourceRange::between(block.keywordRange, previousRange());
    return block;
  }

  BlockItem parseItem(const char *keyword) {
    BlockItem item{BlockItem::Kind::Assign, {}, {}, {}, nullptr, {}, {}};
    const Token &first =
        expectIdentifier(std::string("an item of the ") + keyword + " block");
    item.path.push_back(first.text);
    while (accept(TokenKind::Dot))
      item.path.push_back(expectWord("a name after '.'").text);
    item.pathRange = SourceRange::between(first.range, previousRange());
    if (accept(TokenKind::Equal)) {
      item.kind = BlockItem::Kind::Assign;
      item.value = parseExpr();
    } else if (at(TokenKind::LBrace)) {
      item.kind = BlockItem::Kind::Block;
      item.settings = parseSettings("layout settings");
    } else if (accept(TokenKind::LParen)) {
      item.kind = BlockItem::Kind::Call;
      item.args = parseArgs();
    } else {
      fail(peek(), "expected '=', '{' or '(' after '" + first.text +
                       "', found " + found(peek()));
    }
    item.range = SourceRange::between(first.range, previousRange());
    return item;
  }

  // ---- Expressions --------------------------------------------------------
  static constexpr int kMaxDepth = 200;

  struct DepthGuard {
    Parser &parser;
    explicit DepthGuard(Parser &p) : parser(p) {
      if (++parser.depth_ > kMaxDepth) {
        --parser.depth_;
        parser.fail(parser.peek(), "expression is nested too deeply",
                    "split it into several statements");
      }
    }
    ~DepthGuard() { --parser.depth_; }
  };

  /// Later passes walk expressions recursively, so their height is bounded
  /// here: long operator or member chains nest as deeply as parentheses.
  static constexpr unsigned kMaxHeight = 1000;

  ExprPtr bounded(ExprPtr expr) {
    unsigned height = 0;
    for (const Expr *child : {expr->lhs.get(), expr->rhs.get()})
      if (child)
        height = std::max(height, child->depth);
    for (const Arg &arg : expr->args)
      height = std::max(height, arg.value->depth);
    expr->depth = height + 1;
    if (expr->depth > kMaxHeight)
      fail(peek(), "expression is too long or nested too deeply",
           "split it into several statements");
    return expr;
  }

  ExprPtr binary(char op, ExprPtr lhs, ExprPtr rhs) {
    auto expr = std::make_unique<Expr>(
        Expr::Kind::Binary, SourceRange::between(lhs->range, rhs->range));
    expr->op = op;
    expr->lhs = std::move(lhs);
    expr->rhs = std::move(rhs);
    return bounded(std::move(expr));
  }

  ExprPtr parseExpr() {
    DepthGuard guard(*this);
    ExprPtr lhs = parseTerm();
    while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
      char op = at(TokenKind::Plus) ? '+' : '-';
      advance();
      lhs = binary(op, std::move(lhs), parseTerm());
    }
    return lhs;
  }

  ExprPtr parseTerm() {
    ExprPtr lhs = parseUnary();
    while (at(TokenKind::Star) || at(TokenKind::Slash)) {
      char op = at(TokenKind::Star) ? '*' : '/';
      advance();
      lhs = binary(op, std::move(lhs), parseUnary());
    }
    return lhs;
  }

  ExprPtr parseUnary() {
    DepthGuard guard(*this);
    if (at(TokenKind::Minus)) {
      SourceRange begin = advance().range;
      ExprPtr operand = parseUnary();
      auto expr = std::make_unique<Expr>(
          Expr::Kind::Negate, SourceRange::between(begin, operand->range));
      expr->lhs = std::move(operand);
      return bounded(std::move(expr));
    }
    return parsePostfix();
  }

  ExprPtr parsePostfix() {
    ExprPtr expr = parsePrimary();
    while (true) {
      if (accept(TokenKind::Dot)) {
        const Token &field = expectWord("a name after '.'");
        auto member = std::make_unique<Expr>(
            Expr::Kind::Member, SourceRange::between(expr->range, field.range));
        member->text = field.text;
        member->lhs = std::move(expr);
        expr = bounded(std::move(member));
      } else if (at(TokenKind::LParen) && !peek().newlineBefore) {
        advance();
        auto call = std::make_unique<Expr>(Expr::Kind::Call, expr->range);
        call->args = parseArgs();
        call->range = SourceRange::between(expr->range, previousRange());
        call->lhs = std::move(expr);
        expr = bounded(std::move(call));
      } else {
        return expr;
      }
    }
  }

  ExprPtr parsePrimary() {
    const Token &token = peek();
    switch (token.kind) {
    case TokenKind::Integer: {
      auto expr = std::make_unique<Expr>(Expr::Kind::Integer, token.range);
      expr->intValue = token.integer;
      expr->floatValue = token.number;
      advance();
      return expr;
    }
    case TokenKind::Float: {
      auto expr = std::make_unique<Expr>(Expr::Kind::Float, token.range);
      expr->floatValue = token.number;
      advance();
      return expr;
    }
    case TokenKind::String: {
      auto expr = std::make_unique<Expr>(Expr::Kind::String, token.range);
      expr->text = token.text;
      advance();
      return expr;
    }
    case TokenKind::KwTrue:
    case TokenKind::KwFalse: {
      auto expr = std::make_unique<Expr>(Expr::Kind::Bool, token.range);
      expr->boolValue = token.is(TokenKind::KwTrue);
      advance();
      return expr;
    }
    case TokenKind::Identifier: {
      auto expr = std::make_unique<Expr>(Expr::Kind::Name, token.range);
      expr->text = token.text;
      advance();
      return expr;
    }
    case TokenKind::KwReward: { // `reward(...)` can appear as a model role.
      auto expr = std::make_unique<Expr>(Expr::Kind::Name, token.range);
      expr->text = "reward";
      advance();
      return expr;
    }
    case TokenKind::LParen: {
      advance();
      ExprPtr inner = parseExpr();
      expect(TokenKind::RParen, "to close '('");
      return inner;
    }
    default:
      fail(token, "expected an expression, found " + found(token));
    }
  }

  /// Parses arguments after '(' (at `open`) up to and including ')'.
  std::vector<Arg> parseArgs() {
    SourceRange open = previousRange();
    std::vector<Arg> args;
    bool sawNamed = false;
    while (!at(TokenKind::RParen)) {
      Arg arg;
      if ((at(TokenKind::Identifier) || peek().isKeyword()) &&
          peek(1).is(TokenKind::Equal)) {
        arg.name = expectWord("an argument name").text;
        arg.nameRange = previousRange();
        advance(); // '='
        sawNamed = true;
      } else if (sawNamed) {
        fail(peek(), "positional argument after a named argument",
             "put positional arguments first");
      }
      arg.value = parseExpr();
      args.push_back(std::move(arg));
      if (!accept(TokenKind::Comma)) {
        if (!at(TokenKind::RParen)) {
          // Most often a ')' was forgotten: point at the '(' it should close.
          if (!peek().is(TokenKind::Error)) {
            Diagnostic &diag = diags_.error(
                peek().range,
                "expected ',' or ')' in the argument list, found " +
                    found(peek()));
            diag.notes.push_back({open, "to match this '('"});
          }
          throw ParseAbort();
        }
        break;
      }
    }
    expect(TokenKind::RParen, "to close the argument list");
    return args;
  }

  std::vector<Token> tokens_;
  std::deque<Token> words_; // Keywords read as names; stable addresses.
  DiagnosticEngine &diags_;
  size_t pos_ = 0;
  int depth_ = 0;
};

} // namespace

Program parseProgram(uint32_t bufferId, const SourceManager &sources,
                     DiagnosticEngine &diags) {
  return Parser(lex(bufferId, sources, diags), diags).parse(bufferId);
}

} // namespace rlg::dsl
