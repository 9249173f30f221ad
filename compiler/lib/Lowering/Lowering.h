// Shared state of the AST -> rlg dialect lowering; its parts live in
// Lower*.cpp.
#pragma once

#include "rlg/DSL/Frontend.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <optional>
#include <string>

namespace rlg::lowering {

/// The value of a constant expression (a literal, a negated one, or
/// arithmetic on them); nullopt otherwise.
std::optional<double> constantValue(const dsl::Expr &expr);

/// The argument of `call` bound to parameter `param`, or nullptr.
const dsl::Expr *argOf(const std::vector<dsl::Arg> &args,
                       llvm::StringRef param);

class Lowering {
public:
  Lowering(mlir::MLIRContext &context, const dsl::FrontendResult &frontend,
           const SourceManager &sources, const std::string &sourcePath);

  mlir::OwningOpRef<mlir::ModuleOp> run();

  // ---- Support --------------------------------------------------------------
  /// The FileLineColLoc of a range's start, wrapped in a NameLoc when a value
  /// name is given.
  mlir::Location loc(SourceRange range, llvm::StringRef name = {});
  /// The rlg type of a checked value type, or null for types with no IR form.
  mlir::Type typeOf(const dsl::Type &type);
  /// A literal as an attribute: i64, f64, string or bool.
  mlir::Attribute literalAttr(const dsl::Expr &expr);
  mlir::FloatAttr f64(double value) { return builder_.getF64FloatAttr(value); }
  mlir::IntegerAttr i64(int64_t value) {
    return builder_.getI64IntegerAttr(value);
  }
  mlir::FlatSymbolRefAttr symbol(llvm::StringRef name) {
    return mlir::FlatSymbolRefAttr::get(builder_.getContext(), name);
  }
  /// A constant argument or setting with its default.
  double numberArg(const std::vector<dsl::Arg> &args, llvm::StringRef param,
                   double fallback);
  double numberSetting(const std::vector<dsl::Setting> &settings,
                       llvm::StringRef name, double fallback);
  /// Creates an op through its generic builder from named attributes.
  template <typename OpT>
  OpT create(mlir::Location location, mlir::TypeRange results,
             mlir::ValueRange operands, mlir::NamedAttrList attrs) {
    return builder_.create<OpT>(location, results, operands, attrs.getAttrs());
  }
  /// Reports an internal inconsistency at `range`; lowering then fails.
  void fail(SourceRange range, const llvm::Twine &message);

  // ---- Declarations (LowerDecls.cpp) ----------------------------------------
  void lowerModels();
  void lowerData();
  /// Non-blank lines of a JSONL file (relative to the program's folder).
  std::optional<int64_t> countRecords(llvm::StringRef path);
  void lowerRewards();
  /// A reward expression as a reward symbol: a named reward is itself; an
  /// inline term becomes a reward named `owner.N`.
  mlir::FlatSymbolRefAttr lowerRewardTerm(const dsl::Expr &expr,
                                          const std::string &owner,
                                          SourceRange declRange);

  // ---- Steps (LowerStep.cpp, LowerUpdate.cpp)
  // --------------------------------
  void lowerStep(const dsl::StepGraph &graph);
  mlir::Value lowerExpr(const dsl::Expr &expr, const std::string &name);
  /// An argument of an op made for statement `parent`: a step value by name,
  /// or a nested expression whose ops are named `parent.N`.
  mlir::Value lowerOperand(const dsl::Expr &expr, const std::string &parent);
  /// The argument bound to `param` of a call inside statement `name`.
  mlir::Value lowerArgument(const dsl::Expr &call, llvm::StringRef param,
                            const std::string &name);
  mlir::Value lowerCall(const dsl::Expr &call, const std::string &name);
  /// `factor * expr` for linear arithmetic (+, -, unary -, products and
  /// quotients by constants), constants folded and distributed: sums become
  /// AddOpT ops (of `sumType`, or the checked type when null), a leaf times
  /// a factor other than 1 a ScaleOpT op.
  template <typename AddOpT, typename ScaleOpT>
  mlir::Value
  lowerLinear(const dsl::Expr &expr, double factor, const std::string &name,
              mlir::Type sumType,
              llvm::function_ref<mlir::Value(const dsl::Expr &)> leaf);
  /// `factor * expr` for score arithmetic, constants folded into scales.
  mlir::Value lowerScaled(const dsl::Expr &expr, double factor,
                          const std::string &name);
  /// `name.N`: the name of the next op nested inside statement `name`.
  std::string nestedName(const std::string &name);
  void lowerUpdate(const dsl::Stmt &update);
  /// `factor * loss`, as loss ops, loss_add and loss_scale.
  mlir::Value lowerLoss(const dsl::Expr &expr, double factor,
                        const std::string &name);
  mlir::Value lowerLossTerm(const dsl::Expr &call, const std::string &name);

  // ---- Run, evaluation and schedule hints (LowerRun.cpp) --------------------
  void lowerHints();
  void lowerRun();

  mlir::OpBuilder builder_;
  const dsl::Program &program_;
  const dsl::CheckedProgram &checked_;
  const SourceManager &sources_;
  std::string sourcePath_;
  mlir::ModuleOp module_;
  bool failed_ = false;
  /// The current step's values by name.
  std::map<std::string, mlir::Value> values_;
  /// Inline reward terms already given a symbol, per owner.
  std::map<std::string, int> rewardTermCounts_;
  /// Values created for nested nodes of one statement: `name.N`.
  std::map<std::string, int> nestedCounts_;
};

} // namespace rlg::lowering
