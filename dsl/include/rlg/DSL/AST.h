// The .rlg abstract syntax tree; every node carries its source range.
#pragma once

#include "rlg/DSL/Types.h"
#include "rlg/Support/SourceManager.h"

#include <memory>
#include <string>
#include <vector>

namespace rlg::dsl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// A call argument: positional when `name` is empty.
struct Arg {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
  /// The parameter it binds to, named or positional: an annotation the
  /// checker adds (hence mutable) for the phases after it.
  mutable std::string param;
};

struct Expr {
  enum class Kind {
    Integer,
    Float,
    String,
    Bool,
    Name,
    Member,
    Call,
    Binary,
    Negate
  };
  Kind kind;
  SourceRange range;
  long long intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text; // String value, Name identifier or Member field.
  char op = 0;      // Binary: one of + - * /
  ExprPtr lhs;      // Member/Call: the base or callee; Binary/Negate: operand.
  ExprPtr rhs;      // Binary: right operand.
  std::vector<Arg> args; // Call arguments.
  Type type;             // Filled in by semantic analysis.
  unsigned depth = 1;    // Height of this subtree; the parser bounds it.

  Expr(Kind kind, SourceRange range) : kind(kind), range(range) {}
  /// "task.arith" for a Name/Member chain, "" otherwise.
  std::string dottedName() const;
};

/// `key = value` inside braces.
struct Setting {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

/// `param NAME = LITERAL`: a value the command line may override
/// (--param NAME=VALUE); its uses are replaced by the value before checking.
struct ParamDecl {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

struct ModelDecl {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  std::string role; // policy, value, reward or frozen
  SourceRange roleRange;
  std::vector<Arg> args;
  std::vector<Setting> settings;
};

struct DataDecl {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  ExprPtr source;
};

struct RewardDecl {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

/// A step parameter or statement: a node of the step graph.
struct Stmt {
  enum class Kind { Param, Assign, Update };
  Kind kind;
  SourceRange range;
  std::string name; // The bound name, or the updated model.
  SourceRange nameRange;
  ExprPtr value;                 // Param/Assign.
  std::vector<Setting> settings; // Update.
  Type type;                     // The node's value type (Param/Assign).
};

struct StepDecl {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  std::vector<Stmt> nodes; // Parameters first, then the body in source order.
};

/// An item of a run or schedule block: `a.b = e`, `a.b { settings }` or
/// `a(args)`.
struct BlockItem {
  enum class Kind { Assign, Block, Call };
  Kind kind;
  SourceRange range;
  std::vector<std::string> path;
  SourceRange pathRange;
  ExprPtr value;                 // Assign.
  std::vector<Setting> settings; // Block.
  std::vector<Arg> args;         // Call.
};

struct ItemBlock {
  SourceRange range;
  SourceRange keywordRange;
  std::vector<BlockItem> items;
};

struct Program {
  uint32_t bufferId = 0;
  std::vector<ParamDecl> params;
  std::vector<ModelDecl> models;
  std::vector<DataDecl> data;
  std::vector<RewardDecl> rewards;
  std::vector<StepDecl> steps;
  std::vector<ItemBlock> runs;
  std::vector<ItemBlock> schedules;
};

} // namespace rlg::dsl
