// The semantic checker's shared state; its parts live in Check*.cpp.
#pragma once

#include "rlg/DSL/Sema.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rlg::dsl {

/// Arguments of a call matched to a builtin's parameters.
class BoundArgs {
public:
  const Expr *get(const std::string &name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : it->second;
  }
  bool has(const std::string &name) const { return values_.count(name) != 0; }
  void set(const std::string &name, const Expr *value) {
    values_[name] = value;
  }

private:
  std::map<std::string, const Expr *> values_;
};

/// A builtin's parameter: positional ones may also be passed by name.
struct ParamSpec {
  const char *name;
  bool positional = false;
  bool required = false;
};

class Checker {
public:
  Checker(Program &program, DiagnosticEngine &diags, CheckedProgram &out)
      : program_(program), diags_(diags), out_(out) {}
  bool run();

  // ---- Shared helpers (CheckSupport.cpp) ------------------------------------
  Diagnostic &error(SourceRange range, std::string message,
                    std::string hint = {}) {
    return diags_.error(range, std::move(message), std::move(hint));
  }
  Diagnostic &warning(SourceRange range, std::string message,
                      std::string hint = {}) {
    return diags_.warning(range, std::move(message), std::move(hint));
  }
  /// Matches call arguments to `params` and records each argument's
  /// parameter in `Arg::param`; reports unknown, missing, duplicate and
  /// surplus arguments. Returns false when the call cannot be checked.
  bool bindArgs(const std::string &callee, SourceRange callRange,
                const std::vector<Arg> &args,
                const std::vector<ParamSpec> &params, BoundArgs &out);
  /// Constant arguments: report a located error when the kind or range is
  /// wrong.
  std::optional<long long> constInt(const Expr *e, const std::string &what,
                                    long long min, long long max);
  std::optional<double> constFloat(const Expr *e, const std::string &what,
                                   double min, double max,
                                   bool minExclusive = false);
  std::optional<std::string> constString(const Expr *e,
                                         const std::string &what);
  std::optional<std::string>
  constChoice(const Expr *e, const std::string &what,
              const std::vector<std::string> &choices);
  std::optional<bool> constBool(const Expr *e, const std::string &what);
  /// A model named by a plain identifier, or nullptr after an error.
  const ModelInfo *modelArg(const Expr *e, const std::string &what);
  std::vector<std::string> globalNames() const;

  // ---- Declarations (CheckDecls.cpp)
  // -----------------------------------------
  void collectGlobals();
  void checkModels();
  void ensureModelChecked(size_t index);
  /// The model a `frozen(...)` or `from =` names, checked first; nullptr
  /// after an error (unknown, itself, or a circle of sources).
  const ModelInfo *sourceModel(const ModelDecl &decl, const Expr *e,
                               const std::string &what);
  void checkModel(const ModelDecl &decl, ModelInfo &info);
  /// `hf = PATH`: reads the checkpoint's config.json into info's sizes.
  bool checkHfModel(const Expr *pathExpr, ModelInfo &info);
  void checkModelSettings(const ModelDecl &decl, ModelInfo &info,
                          bool hasPreset);
  void checkData(DataDecl &decl);
  Type checkDataSource(Expr &source);
  void checkRewards();
  Type typeRewardExpr(Expr &expr, const std::string &declName);

  // ---- Steps (CheckStep.cpp)
  // -------------------------------------------------
  void checkStep(StepDecl &step);
  void checkParam(Stmt &param);
  void checkUpdate(StepDecl &step, Stmt &update,
                   std::set<std::string> &updated);

  // ---- Expressions in steps (CheckExprs.cpp, CheckLosses.cpp) ---------------
  struct StepScope {
    StepDecl *step = nullptr;
    std::map<std::string, size_t> locals;
    const ModelInfo *updating = nullptr; // Inside an update's loss.
  };
  Type typeExpr(Expr &expr, StepScope &scope);
  Type typeName(Expr &expr, StepScope &scope);
  Type typeBinary(Expr &expr, StepScope &scope);
  Type typeCall(Expr &expr, StepScope &scope);
  Type typeNodeCall(const std::string &callee, Expr &call, StepScope &scope);
  Type typeLossCall(const std::string &callee, Expr &call, StepScope &scope);
  Type applyReward(const std::string &reward, Expr &call, StepScope &scope);
  Type expectValue(Expr *e, StepScope &scope, TypeKind kind,
                   const std::string &what);
  static bool isLossFunction(const std::string &callee);
  static std::vector<std::string> nodeFunctionNames();

  // ---- Run and schedule blocks (CheckRun.cpp, CheckSchedule.cpp)
  // -------------
  void checkRun();
  void checkSchedule();

  // ---- Unused values (CheckUnused.cpp)
  // ---------------------------------------
  void reportUnused();
  void markUsed(const std::string &name) { usedGlobals_.insert(name); }

  Program &program_;
  DiagnosticEngine &diags_;
  CheckedProgram &out_;

  struct GlobalSymbol {
    enum class Kind { Model, Data, Reward, Step } kind;
    SourceRange nameRange;
    size_t index;
  };
  std::map<std::string, GlobalSymbol> globals_;
  enum class CheckState { Unvisited, InProgress, Done };
  std::vector<CheckState> modelStates_;
  /// Chains of `from =` models or of rewards are followed recursively; this
  /// bounds the recursion for any input.
  static constexpr int kMaxSourceDepth = 256;
  int sourceDepth_ = 0;
  std::map<std::string, Type> dataTypes_;
  struct RewardInfo {
    Type type;
    /// The rule that compares responses with answers ("rule.exact_match",
    /// "rule.math_answer"), "" when none does.
    std::string answerRule;
    enum class State { Unvisited, InProgress, Done } state = State::Unvisited;
  };
  std::map<std::string, RewardInfo> rewards_;
  std::set<std::string> usedGlobals_;
  std::set<std::string> stepsRun_;
};

} // namespace rlg::dsl
