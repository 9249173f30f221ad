// The `--set key=value` settings of `rlg plan` and `rlg compare`: sizes to
// plan for instead of the program's own (prompts, samples, tokens, model
// presets) and the planner's knobs, parsed with clear errors and applied to
// the IR.
#pragma once

#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rlg::analysis {

struct PlanSettings {
  /// Prompts drawn per step (the planned step's batches).
  std::optional<int64_t> prompts;
  /// Samples per prompt of the planned step's sampling generates.
  std::optional<int64_t> samples;
  /// Tokens per prompt (and per data response) the planner assumes.
  std::optional<int64_t> promptTokens;
  /// max_tokens of the planned step's generates.
  std::optional<int64_t> responseTokens;
  /// Steps the planner's simulation unrolls.
  std::optional<int64_t> iterations;
  /// Model name -> preset (`actor.model=llama-7b`, `actor.preset=...`).
  std::map<std::string, std::string> presets;
};

/// A setting that cannot be used, with what would be right.
struct SettingError {
  std::string message;
  std::string hint;
};

/// Every key `--set` accepts, as the messages list them.
std::vector<std::string> planSettingKeys();

/// Parses `key=value` items. `models` are the program's model names (for
/// the `MODEL.model` keys). Reports every bad item in `errors` and returns
/// false if there is any.
bool parsePlanSettings(llvm::ArrayRef<std::string> items,
                       llvm::ArrayRef<std::string> models, PlanSettings &out,
                       std::vector<SettingError> &errors);

/// The names of the module's models, in declaration order.
std::vector<std::string> modelNames(mlir::ModuleOp module);

/// Rewrites `step` and the module's models to the settings' sizes: batch
/// draws of `prompts`, `samples` per prompt, `response_tokens` as
/// max_tokens, each value's type following, each update's batch with it
/// (its mini-batch count kept); a model's preset replaces its architecture,
/// and that of the frozen copies and models initialised from it that are
/// not set themselves. Fails, with an error at the IR, when the program
/// does not allow the sizes.
mlir::LogicalResult applyPlanSettings(mlir::ModuleOp module, ir::StepOp step,
                                      const PlanSettings &settings);

} // namespace rlg::analysis
