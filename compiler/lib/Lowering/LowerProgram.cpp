// The lowering's entry point and the support its parts share: locations,
// types, constants and arguments.
#include "rlg/Lowering/LowerProgram.h"

#include "Lowering.h"

#include "mlir/IR/Diagnostics.h"

#include <filesystem>

using namespace mlir;

namespace rlg::lowering {

std::optional<double> constantValue(const dsl::Expr &expr) {
  using Kind = dsl::Expr::Kind;
  switch (expr.kind) {
  case Kind::Integer:
    return static_cast<double>(expr.intValue);
  case Kind::Float:
    return expr.floatValue;
  case Kind::Negate:
    if (auto value = constantValue(*expr.lhs))
      return -*value;
    return std::nullopt;
  case Kind::Binary: {
    auto lhs = constantValue(*expr.lhs), rhs = constantValue(*expr.rhs);
    if (!lhs || !rhs)
      return std::nullopt;
    switch (expr.op) {
    case '+':
      return *lhs + *rhs;
    case '-':
      return *lhs - *rhs;
    case '*':
      return *lhs * *rhs;
    case '/':
      if (*rhs == 0)
        return std::nullopt;
      return *lhs / *rhs;
    }
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

const dsl::Expr *argOf(const std::vector<dsl::Arg> &args,
                       llvm::StringRef param) {
  for (const dsl::Arg &arg : args)
    if (arg.param == param)
      return arg.value.get();
  return nullptr;
}

Lowering::Lowering(MLIRContext &context, const dsl::FrontendResult &frontend,
                   const SourceManager &sources, const std::string &sourcePath)
    : builder_(&context), program_(frontend.program),
      checked_(frontend.checked), sources_(sources), sourcePath_(sourcePath) {}

Location Lowering::loc(SourceRange range, llvm::StringRef name) {
  MLIRContext *context = builder_.getContext();
  Location location = UnknownLoc::get(context);
  if (range.isValid()) {
    LineCol position = sources_.lineCol(range.begin);
    location = FileLineColLoc::get(context, sourcePath_, position.line,
                                   position.column);
  }
  if (name.empty())
    return location;
  return NameLoc::get(StringAttr::get(context, name), location);
}

mlir::Type Lowering::typeOf(const dsl::Type &type) {
  MLIRContext *context = builder_.getContext();
  int64_t batch = type.batch, samples = type.samples;
  switch (type.kind) {
  case dsl::TypeKind::Prompts:
    return ir::PromptsType::get(context, batch, samples);
  case dsl::TypeKind::Pairs:
    return ir::PairsType::get(context, batch, samples);
  case dsl::TypeKind::Demos:
    return ir::DemosType::get(context, batch, samples);
  case dsl::TypeKind::Labeled:
    return ir::LabeledType::get(context, batch, samples);
  case dsl::TypeKind::Rollouts:
    return ir::RolloutsType::get(context, batch, samples);
  case dsl::TypeKind::TokenScores:
    return ir::TokenScoresType::get(context, batch, samples);
  case dsl::TypeKind::SeqScores:
    return ir::SeqScoresType::get(context, batch, samples);
  case dsl::TypeKind::PairScores:
    return ir::PairScoresType::get(context, batch, samples);
  case dsl::TypeKind::Advantages:
    return ir::AdvantagesType::get(context, batch, samples);
  case dsl::TypeKind::Loss:
    return ir::LossType::get(context);
  default:
    return {};
  }
}

Attribute Lowering::literalAttr(const dsl::Expr &expr) {
  using Kind = dsl::Expr::Kind;
  if (expr.kind == Kind::String)
    return builder_.getStringAttr(expr.text);
  if (expr.kind == Kind::Bool)
    return builder_.getBoolAttr(expr.boolValue);
  std::optional<double> value = constantValue(expr);
  if (!value)
    return {};
  bool integer = expr.kind == Kind::Integer ||
                 (expr.kind == Kind::Negate && expr.lhs->kind == Kind::Integer);
  if (integer)
    return i64(static_cast<int64_t>(*value));
  return f64(*value);
}

double Lowering::numberArg(const std::vector<dsl::Arg> &args,
                           llvm::StringRef param, double fallback) {
  const dsl::Expr *expr = argOf(args, param);
  if (!expr)
    return fallback;
  std::optional<double> value = constantValue(*expr);
  if (!value) {
    fail(expr->range, "'" + param + "' is not a constant");
    return fallback;
  }
  return *value;
}

void Lowering::fail(SourceRange range, const llvm::Twine &message) {
  emitError(loc(range), "internal error in lowering: ") << message;
  failed_ = true;
}

OwningOpRef<ModuleOp> Lowering::run() {
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(loc(SourceRange{{program_.bufferId, 0}, 0}));
  module_ = *module;
  std::string stem = std::filesystem::path(sourcePath_).stem().string();
  module_->setAttr(ir::RLGDialect::kSourceAttrName,
                   builder_.getStringAttr(sourcePath_));
  module_->setAttr(ir::RLGDialect::kProgramAttrName,
                   builder_.getStringAttr(stem.empty() ? "program" : stem));
  builder_.setInsertionPointToEnd(module_.getBody());

  lowerModels();
  lowerData();
  lowerRewards();
  lowerHints();
  for (const dsl::StepGraph &graph : checked_.steps)
    lowerStep(graph);
  lowerRun();
  if (failed_)
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> lowerProgram(MLIRContext &context,
                                   const dsl::FrontendResult &frontend,
                                   const SourceManager &sources,
                                   const std::string &sourcePath) {
  context.getOrLoadDialect<ir::RLGDialect>();
  Lowering lowering(context, frontend, sources, sourcePath);
  return lowering.run();
}

} // namespace rlg::lowering
