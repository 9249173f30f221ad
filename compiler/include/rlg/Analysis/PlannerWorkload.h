// What the planner plans, read from a canonical module: the models one
// training step calls, its calls with their sizes and inputs, the overlap
// mode, the schedule's pins and colocate groups.
#pragma once

#include "rlg/Analysis/PlanSettings.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"
#include "rlg/Planner/Workload.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <vector>

namespace rlg::analysis {

/// Tokens per prompt, and per response of a data example (demos, pairs,
/// labeled completions), when the data source does not tell: JSONL files.
/// The built-in tasks' prompts are a few characters ("12+34=").
inline constexpr int64_t kDefaultPromptTokens = 256;
inline constexpr int64_t kDefaultDataResponseTokens = 256;

/// A planner workload with the IR it came from.
struct ExtractedWorkload {
  planner::Workload workload;
  /// The step planned.
  ir::StepOp step;
  /// The op of each workload model and call (an rlg.reward_apply whose
  /// reward scores with a model is a `score` call of that model).
  std::vector<ir::ModelOp> models;
  std::vector<mlir::Operation *> calls;
  /// Steps the simulation unrolls (the `iterations` setting), or 0 for the
  /// planner's default.
  int64_t iterations = 0;
};

/// The step to plan: that of the run's longest-running stage (most
/// iterations, summed over the stages that run it; the first on a tie), or
/// the first step without an rlg.run; null when there is none.
ir::StepOp findPlannedStep(mlir::ModuleOp module);

/// The models an rlg.reward_apply of `reward` scores with, in term order.
std::vector<ir::ModelOp> rewardModels(mlir::ModuleOp module,
                                      llvm::StringRef reward);

/// Builds the workload of `findPlannedStep(module)`: its model calls in
/// block order, sized from their types (sequences = batch x samples, two
/// per preference pair), generate's max_tokens as response tokens, prompt
/// tokens from the data source (or the settings); models are those the
/// step calls, trainable when the step updates them; inputs are the calls
/// whose results reach a call through non-call ops. Errors at the IR when
/// there is no step to plan.
mlir::FailureOr<ExtractedWorkload>
extractWorkload(mlir::ModuleOp module, const PlanSettings &settings);

} // namespace rlg::analysis
