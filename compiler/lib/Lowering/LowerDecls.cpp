// Lowering of the module-level declarations: models, data sources, rewards.
#include "Lowering.h"

#include <filesystem>
#include <fstream>

using namespace mlir;

namespace rlg::lowering {

namespace {

/// A model setting's expression, or nullptr.
const dsl::Expr *setting(const std::vector<dsl::Setting> &settings,
                         llvm::StringRef name) {
  for (const dsl::Setting &s : settings)
    if (s.name == name)
      return s.value.get();
  return nullptr;
}

/// Defaults of the built-in tasks' arguments (docs/language.md, 3.2).
std::vector<std::pair<const char *, Attribute>> taskDefaults(Builder &b,
                                                             StringRef task) {
  std::vector<std::pair<const char *, Attribute>> out;
  if (task == "task.arith") {
    out.push_back({"digits", b.getI64IntegerAttr(2)});
    out.push_back({"ops", b.getStringAttr("+-*")});
  } else if (task == "task.sort") {
    out.push_back({"length", b.getI64IntegerAttr(5)});
  } else if (task == "task.reverse") {
    out.push_back({"length", b.getI64IntegerAttr(6)});
  }
  out.push_back({"split", b.getStringAttr("train")});
  out.push_back({"size", b.getI64IntegerAttr(1000)});
  out.push_back({"seed", b.getI64IntegerAttr(0)});
  return out;
}

/// Flattens a reward expression into weighted leaves (names and calls).
void collectRewardTerms(
    const dsl::Expr &expr, double weight,
    std::vector<std::pair<double, const dsl::Expr *>> &out) {
  using Kind = dsl::Expr::Kind;
  if (expr.kind == Kind::Negate) {
    collectRewardTerms(*expr.lhs, -weight, out);
    return;
  }
  if (expr.kind == Kind::Binary) {
    if (expr.op == '+' || expr.op == '-') {
      collectRewardTerms(*expr.lhs, weight, out);
      collectRewardTerms(*expr.rhs, expr.op == '-' ? -weight : weight, out);
      return;
    }
    std::optional<double> lhs = constantValue(*expr.lhs);
    std::optional<double> rhs = constantValue(*expr.rhs);
    if (expr.op == '*' && lhs) {
      collectRewardTerms(*expr.rhs, weight * *lhs, out);
      return;
    }
    if ((expr.op == '*' || expr.op == '/') && rhs && *rhs != 0) {
      collectRewardTerms(*expr.lhs,
                         expr.op == '*' ? weight * *rhs : weight / *rhs, out);
      return;
    }
  }
  out.push_back({weight, &expr});
}

} // namespace

std::optional<int64_t> Lowering::countRecords(llvm::StringRef path) {
  std::filesystem::path file(path.str());
  if (file.is_relative())
    file = std::filesystem::path(sourcePath_).parent_path() / file;
  std::ifstream in(file);
  if (!in)
    return std::nullopt;
  int64_t count = 0;
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      ++count;
  return count;
}

void Lowering::lowerModels() {
  for (const dsl::ModelDecl &decl : program_.models) {
    const dsl::ModelInfo *info = checked_.findModel(decl.name);
    if (!info) {
      fail(decl.nameRange, "model '" + decl.name + "' was not checked");
      continue;
    }
    NamedAttrList attrs;
    attrs.append("sym_name", builder_.getStringAttr(decl.name));
    attrs.append("role", builder_.getStringAttr(info->role));
    if (info->frozen) {
      attrs.append("frozen", builder_.getUnitAttr());
      attrs.append("source", symbol(info->frozenFrom));
    }
    if (!info->initFrom.empty())
      attrs.append("init_from", symbol(info->initFrom));
    if (!info->preset.empty())
      attrs.append("preset", builder_.getStringAttr(info->preset));
    const ModelArch &arch = info->arch;
    attrs.append("layers", i64(arch.layers));
    attrs.append("hidden", i64(arch.hidden));
    attrs.append("ffn", i64(arch.ffn));
    attrs.append("heads", i64(arch.heads));
    attrs.append("kv_heads", i64(arch.kvHeads));
    attrs.append("vocab", i64(arch.vocab));
    if (arch.tieEmbeddings)
      attrs.append("tie_embeddings", builder_.getUnitAttr());
    if (info->updated && !info->frozen) {
      // Defaults: docs/language.md 3.1, "Training settings".
      NamedAttrList optimizer;
      optimizer.append("kind", builder_.getStringAttr("adamw"));
      optimizer.append("lr", f64(numberSetting(decl.settings, "lr", 1e-5)));
      optimizer.append("warmup",
                       i64(int64_t(numberSetting(decl.settings, "warmup", 0))));
      optimizer.append("weight_decay",
                       f64(numberSetting(decl.settings, "weight_decay", 0)));
      optimizer.append("grad_clip",
                       f64(numberSetting(decl.settings, "grad_clip", 0)));
      const dsl::Expr *schedule = setting(decl.settings, "lr_schedule");
      optimizer.append("lr_schedule", builder_.getStringAttr(
                                          schedule ? schedule->text
                                                   : std::string("constant")));
      attrs.append("optimizer", optimizer.getDictionary(builder_.getContext()));
    }
    if (!info->hf.empty())
      attrs.append("hf", builder_.getStringAttr(info->hf));
    if (const dsl::Expr *init = setting(decl.settings, "init"))
      attrs.append("init", builder_.getStringAttr(init->text));
    create<ir::ModelOp>(loc(decl.nameRange, decl.name), {}, {}, attrs);
  }
}

double Lowering::numberSetting(const std::vector<dsl::Setting> &settings,
                               llvm::StringRef name, double fallback) {
  const dsl::Expr *expr = setting(settings, name);
  if (!expr)
    return fallback;
  std::optional<double> value = constantValue(*expr);
  if (!value) {
    fail(expr->range, "setting '" + name + "' is not a constant");
    return fallback;
  }
  return *value;
}

void Lowering::lowerData() {
  for (const dsl::DataDecl &decl : program_.data) {
    const dsl::Expr &source = *decl.source;
    std::string callee = source.lhs ? source.lhs->dottedName() : "";
    NamedAttrList attrs;
    attrs.append("sym_name", builder_.getStringAttr(decl.name));
    attrs.append("kind", builder_.getStringAttr(
                             dsl::dataKindName(source.type.dataKind)));
    attrs.append("source", builder_.getStringAttr(callee));
    if (source.type.hasAnswers)
      attrs.append("answers", builder_.getUnitAttr());
    NamedAttrList args;
    if (callee != "jsonl")
      for (auto &[name, value] : taskDefaults(builder_, callee))
        args.set(name, value);
    for (const dsl::Arg &arg : source.args) {
      Attribute value = literalAttr(*arg.value);
      if (!value || arg.param.empty()) {
        fail(arg.value->range, "data argument is not a literal");
        continue;
      }
      args.set(arg.param, value);
    }
    // A file's record count lets passes weigh per-example work (hoisting).
    if (callee == "jsonl")
      if (auto path = args.getNamed("path"))
        if (auto count = countRecords(
                llvm::cast<StringAttr>(path->getValue()).getValue()))
          args.set("size", i64(*count));
    attrs.append("args", args.getDictionary(builder_.getContext()));
    create<ir::DataOp>(loc(decl.nameRange, decl.name), {}, {}, attrs);
  }
}

FlatSymbolRefAttr Lowering::lowerRewardTerm(const dsl::Expr &expr,
                                            const std::string &owner,
                                            SourceRange declRange) {
  if (expr.kind == dsl::Expr::Kind::Name)
    return symbol(expr.text);
  std::string name = owner + "." + std::to_string(++rewardTermCounts_[owner]);
  NamedAttrList attrs;
  attrs.append("sym_name", builder_.getStringAttr(name));
  std::string callee =
      expr.kind == dsl::Expr::Kind::Call ? expr.lhs->dottedName() : "";
  if (callee == "score") {
    attrs.append("kind", builder_.getStringAttr("model"));
    attrs.append("model", symbol(argOf(expr.args, "model")->text));
  } else if (llvm::StringRef(callee).starts_with("rule.")) {
    attrs.append("kind", builder_.getStringAttr("rule"));
    attrs.append("rule", builder_.getStringAttr(callee.substr(5)));
    NamedAttrList args;
    for (const dsl::Arg &arg : expr.args)
      if (Attribute value = literalAttr(*arg.value))
        args.set(arg.param, value);
    attrs.append("args", args.getDictionary(builder_.getContext()));
  } else {
    fail(expr.range, "unexpected reward term");
    return symbol(name);
  }
  create<ir::RewardOp>(loc(expr.range.isValid() ? expr.range : declRange, name),
                       {}, {}, attrs);
  return symbol(name);
}

void Lowering::lowerRewards() {
  for (const dsl::RewardDecl &decl : program_.rewards) {
    std::vector<std::pair<double, const dsl::Expr *>> terms;
    collectRewardTerms(*decl.value, 1.0, terms);
    const dsl::Expr &only = *terms.front().second;
    bool single = terms.size() == 1 && terms.front().first == 1.0 &&
                  only.kind == dsl::Expr::Kind::Call;
    if (single) {
      // rule.X(...) or score(M) declared under its own name.
      FlatSymbolRefAttr term = lowerRewardTerm(only, decl.name, decl.range);
      Operation *op = module_.lookupSymbol(term);
      op->setAttr("sym_name", builder_.getStringAttr(decl.name));
      op->setLoc(loc(decl.nameRange, decl.name));
      continue;
    }
    SmallVector<Attribute> symbols;
    SmallVector<double> weights;
    for (auto &[weight, expr] : terms) {
      symbols.push_back(lowerRewardTerm(*expr, decl.name, decl.range));
      weights.push_back(weight);
    }
    NamedAttrList attrs;
    attrs.append("sym_name", builder_.getStringAttr(decl.name));
    attrs.append("kind", builder_.getStringAttr("sum"));
    attrs.append("terms", builder_.getArrayAttr(symbols));
    attrs.append("weights", builder_.getF64ArrayAttr(weights));
    create<ir::RewardOp>(loc(decl.nameRange, decl.name), {}, {}, attrs);
  }
}

} // namespace rlg::lowering
