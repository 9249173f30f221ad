// Program parameters: declarations, command-line overrides, substitution.
#include "rlg/DSL/ProgramParams.h"

#include "rlg/Support/TextDistance.h"

#include <cerrno>
#include <cstdlib>
#include <map>

namespace rlg::dsl {
namespace {

bool isLiteral(const Expr &e) {
  switch (e.kind) {
  case Expr::Kind::String:
  case Expr::Kind::Integer:
  case Expr::Kind::Float:
  case Expr::Kind::Bool:
    return true;
  case Expr::Kind::Negate:
    return e.lhs && (e.lhs->kind == Expr::Kind::Integer ||
                     e.lhs->kind == Expr::Kind::Float);
  default:
    return false;
  }
}

/// A copy of a literal (negated numbers folded) at `range`.
ExprPtr copyLiteral(const Expr &value, SourceRange range) {
  bool negate = value.kind == Expr::Kind::Negate;
  const Expr &literal = negate ? *value.lhs : value;
  auto out = std::make_unique<Expr>(literal.kind, range);
  out->intValue = negate ? -literal.intValue : literal.intValue;
  out->floatValue = negate ? -literal.floatValue : literal.floatValue;
  out->boolValue = literal.boolValue;
  out->text = literal.text;
  return out;
}

const char *typeName(Expr::Kind kind) {
  switch (kind) {
  case Expr::Kind::String:
    return "a string";
  case Expr::Kind::Integer:
    return "an integer";
  case Expr::Kind::Float:
    return "a number";
  default:
    return "true or false";
  }
}

/// `text` read as a value of the declared value's type, or an error text.
std::string parseOverride(const Expr &declared, const std::string &text,
                          Expr &out) {
  Expr::Kind kind =
      declared.kind == Expr::Kind::Negate ? declared.lhs->kind : declared.kind;
  out.kind = kind;
  if (kind == Expr::Kind::String) {
    out.text = text;
    return "";
  }
  if (kind == Expr::Kind::Bool) {
    if (text != "true" && text != "false")
      return "expected true or false";
    out.boolValue = text == "true";
    return "";
  }
  const char *begin = text.c_str();
  char *end = nullptr;
  errno = 0;
  if (kind == Expr::Kind::Integer) {
    long long v = std::strtoll(begin, &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE)
      return "expected an integer";
    out.intValue = v;
    return "";
  }
  double v = std::strtod(begin, &end);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    return "expected a number";
  out.floatValue = v;
  return "";
}

class Substituter {
public:
  explicit Substituter(const std::map<std::string, const Expr *> &values)
      : values(values) {}

  void expr(ExprPtr &e) {
    if (!e)
      return;
    if (e->kind == Expr::Kind::Name) {
      auto it = values.find(e->text);
      if (it != values.end())
        e = copyLiteral(*it->second, e->range);
      return;
    }
    expr(e->lhs);
    expr(e->rhs);
    args(e->args);
  }
  void args(std::vector<Arg> &list) {
    for (Arg &arg : list)
      expr(arg.value);
  }
  void settings(std::vector<Setting> &list) {
    for (Setting &setting : list)
      expr(setting.value);
  }

private:
  const std::map<std::string, const Expr *> &values;
};

} // namespace

bool applyProgramParams(Program &program, const ParamOverrides &overrides,
                        DiagnosticEngine &diags) {
  if (program.params.empty() && overrides.empty())
    return true;
  unsigned before = diags.errorCount();
  std::map<std::string, ParamDecl *> declared;
  for (ParamDecl &param : program.params) {
    auto [it, fresh] = declared.emplace(param.name, &param);
    if (!fresh) {
      diags
          .error(param.nameRange,
                 "parameter '" + param.name + "' is already defined")
          .notes.push_back(
              {it->second->nameRange, "previous definition is here"});
      continue;
    }
    if (!param.value || !isLiteral(*param.value))
      diags.error(param.value ? param.value->range : param.nameRange,
                  "the value of parameter '" + param.name +
                      "' must be a string, a number or true/false",
                  "a parameter holds a plain value the command line can "
                  "replace: --param " +
                      param.name + "=VALUE");
  }
  // A parameter's name must not name anything else.
  auto clash = [&](const std::string &name, SourceRange range) {
    auto it = declared.find(name);
    if (it != declared.end())
      diags.error(range, "'" + name + "' is already defined as a parameter")
          .notes.push_back({it->second->nameRange, "the parameter is here"});
  };
  for (const ModelDecl &decl : program.models)
    clash(decl.name, decl.nameRange);
  for (const DataDecl &decl : program.data)
    clash(decl.name, decl.nameRange);
  for (const RewardDecl &decl : program.rewards)
    clash(decl.name, decl.nameRange);
  for (const StepDecl &step : program.steps) {
    clash(step.name, step.nameRange);
    for (const Stmt &node : step.nodes)
      if (node.kind != Stmt::Kind::Update)
        clash(node.name, node.nameRange);
  }
  if (diags.errorCount() != before)
    return false;

  std::vector<std::string> names;
  for (const auto &entry : declared)
    names.push_back(entry.first);
  for (const std::string &text : overrides) {
    size_t eq = text.find('=');
    std::string name = text.substr(0, eq);
    if (eq == std::string::npos || name.empty()) {
      diags.error({}, "--param " + text + ": expected NAME=VALUE",
                  "e.g. --param model_dir=/data/qwen2.5-0.5b");
      continue;
    }
    auto it = declared.find(name);
    if (it == declared.end()) {
      std::string hint = didYouMean(name, names);
      diags.error({},
                  "--param " + text + ": the program has no parameter '" +
                      name + "'",
                  !hint.empty()   ? hint
                  : names.empty() ? "the program declares no 'param'"
                                  : "its parameters: " + quotedList(names));
      continue;
    }
    ParamDecl &param = *it->second;
    auto value = std::make_unique<Expr>(Expr::Kind::String, param.value->range);
    std::string problem =
        parseOverride(*param.value, text.substr(eq + 1), *value);
    if (!problem.empty()) {
      diags.error(param.value->range,
                  "--param " + text + ": " + problem +
                      ", like the parameter's default",
                  std::string("parameter '") + name + "' holds " +
                      typeName(value->kind));
      continue;
    }
    param.value = std::move(value);
  }
  if (diags.errorCount() != before)
    return false;

  std::map<std::string, const Expr *> values;
  for (const auto &[name, param] : declared)
    values[name] = param->value.get();
  Substituter substitute(values);
  for (ModelDecl &decl : program.models) {
    substitute.args(decl.args);
    substitute.settings(decl.settings);
  }
  for (DataDecl &decl : program.data)
    substitute.expr(decl.source);
  for (RewardDecl &decl : program.rewards)
    substitute.expr(decl.value);
  for (StepDecl &step : program.steps)
    for (Stmt &node : step.nodes) {
      substitute.expr(node.value);
      substitute.settings(node.settings);
    }
  for (auto *blocks : {&program.runs, &program.schedules})
    for (ItemBlock &block : *blocks)
      for (BlockItem &item : block.items) {
        substitute.expr(item.value);
        substitute.settings(item.settings);
        substitute.args(item.args);
      }
  return true;
}

} // namespace rlg::dsl
