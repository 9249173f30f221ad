// Argument binding and constant-argument checks shared by every builtin.
#include "Checker.h"

#include "rlg/Support/TextDistance.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace rlg::dsl {

bool Checker::bindArgs(const std::string &callee, SourceRange callRange,
                       const std::vector<Arg> &args,
                       const std::vector<ParamSpec> &params, BoundArgs &out) {
  bool ok = true;
  size_t positionalIndex = 0;
  std::vector<std::string> names;
  for (const ParamSpec &param : params)
    names.push_back(param.name);
  for (const Arg &arg : args) {
    if (arg.name.empty()) {
      while (positionalIndex < params.size() &&
             !params[positionalIndex].positional)
        ++positionalIndex;
      if (positionalIndex >= params.size()) {
        size_t count = 0;
        for (const ParamSpec &param : params)
          count += param.positional;
        error(arg.value->range,
              "too many arguments to '" + callee + "': it takes " +
                  std::to_string(count) + " positional argument" +
                  (count == 1 ? "" : "s"),
              names.empty() ? "" : "its parameters are " + quotedList(names));
        ok = false;
        continue;
      }
      arg.param = params[positionalIndex].name;
      out.set(params[positionalIndex++].name, arg.value.get());
      continue;
    }
    bool known = false;
    for (const ParamSpec &param : params)
      known |= arg.name == param.name;
    if (!known) {
      std::string hint = didYouMean(arg.name, names);
      if (hint.empty())
        hint = names.empty() ? "'" + callee + "' takes no arguments"
                             : "'" + callee + "' takes " + quotedList(names);
      error(arg.nameRange,
            "'" + callee + "' has no parameter '" + arg.name + "'", hint);
      ok = false;
      continue;
    }
    if (out.has(arg.name)) {
      error(arg.nameRange, "argument '" + arg.name + "' is given twice");
      ok = false;
      continue;
    }
    arg.param = arg.name;
    out.set(arg.name, arg.value.get());
  }
  for (const ParamSpec &param : params) {
    if (param.required && !out.has(param.name)) {
      error(callRange,
            "'" + callee + "' needs the argument '" + param.name + "'");
      ok = false;
    }
  }
  return ok;
}

namespace {

/// Folds a literal or a negated literal; nullopt for anything else.
std::optional<double> foldNumber(const Expr *e, bool &isInt) {
  if (e->kind == Expr::Kind::Integer) {
    isInt = true;
    return static_cast<double>(e->intValue);
  }
  if (e->kind == Expr::Kind::Float) {
    isInt = false;
    return e->floatValue;
  }
  if (e->kind == Expr::Kind::Negate && e->lhs) {
    std::optional<double> inner = foldNumber(e->lhs.get(), isInt);
    if (inner)
      return -*inner;
  }
  return std::nullopt;
}

std::string formatNumber(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

} // namespace

std::optional<long long> Checker::constInt(const Expr *e,
                                           const std::string &what,
                                           long long min, long long max) {
  if (!e)
    return std::nullopt;
  bool isInt = false;
  std::optional<double> value = foldNumber(e, isInt);
  if (!value || !isInt) {
    error(e->range, what + " must be an integer");
    return std::nullopt;
  }
  long long v = e->kind == Expr::Kind::Integer ? e->intValue
                                               : static_cast<long long>(*value);
  if (v < min || v > max) {
    std::string range =
        max == std::numeric_limits<long long>::max()
            ? "at least " + std::to_string(min)
            : "between " + std::to_string(min) + " and " + std::to_string(max);
    error(e->range, what + " must be " + range + ", got " + std::to_string(v));
    return std::nullopt;
  }
  return v;
}

std::optional<double> Checker::constFloat(const Expr *e,
                                          const std::string &what, double min,
                                          double max, bool minExclusive) {
  if (!e)
    return std::nullopt;
  bool isInt = false;
  std::optional<double> value = foldNumber(e, isInt);
  if (!value) {
    error(e->range, what + " must be a number");
    return std::nullopt;
  }
  bool below = minExclusive ? *value <= min : *value < min;
  if (below || *value > max || std::isnan(*value)) {
    std::string range;
    if (std::isinf(max))
      range =
          (minExclusive ? "greater than " : "at least ") + formatNumber(min);
    else
      range = "between " + formatNumber(min) + " and " + formatNumber(max);
    error(e->range,
          what + " must be " + range + ", got " + formatNumber(*value));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Checker::constString(const Expr *e,
                                                const std::string &what) {
  if (!e)
    return std::nullopt;
  if (e->kind != Expr::Kind::String) {
    error(e->range, what + " must be a string", "write it in double quotes");
    return std::nullopt;
  }
  return e->text;
}

std::optional<std::string>
Checker::constChoice(const Expr *e, const std::string &what,
                     const std::vector<std::string> &choices) {
  std::optional<std::string> value = constString(e, what);
  if (!value)
    return std::nullopt;
  for (const std::string &choice : choices)
    if (*value == choice)
      return value;
  std::string hint = didYouMean(*value, choices);
  error(e->range, "unknown " + what + " \"" + *value + "\"",
        hint.empty() ? "choose one of " + quotedList(choices) : hint);
  return std::nullopt;
}

std::optional<bool> Checker::constBool(const Expr *e, const std::string &what) {
  if (!e)
    return std::nullopt;
  if (e->kind != Expr::Kind::Bool) {
    error(e->range, what + " must be true or false");
    return std::nullopt;
  }
  return e->boolValue;
}

const ModelInfo *Checker::modelArg(const Expr *e, const std::string &what) {
  if (!e)
    return nullptr;
  if (e->kind != Expr::Kind::Name) {
    error(e->range, what + " must be the name of a model");
    return nullptr;
  }
  auto it = globals_.find(e->text);
  if (it == globals_.end() || it->second.kind != GlobalSymbol::Kind::Model) {
    std::vector<std::string> models;
    for (const ModelInfo &model : out_.models)
      models.push_back(model.name);
    std::string hint = didYouMean(e->text, models);
    if (it != globals_.end())
      error(e->range, "'" + e->text + "' is not a model", hint);
    else
      error(e->range, "unknown model '" + e->text + "'",
            hint.empty() && !models.empty()
                ? "declared models: " + quotedList(models, "and")
                : hint);
    return nullptr;
  }
  markUsed(e->text);
  return &out_.models[it->second.index];
}

std::vector<std::string> Checker::globalNames() const {
  std::vector<std::string> names;
  for (const auto &entry : globals_)
    names.push_back(entry.first);
  return names;
}

} // namespace rlg::dsl
