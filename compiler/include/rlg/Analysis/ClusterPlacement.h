// Placement for a cluster with the planner's strategies (lib/Planner): the
// planned step's workload goes to a strategy, and its plan comes back as a
// placement of every op, with the planner's predictions recorded in the IR.
#pragma once

#include "rlg/Analysis/Placement.h"
#include "rlg/Analysis/PlannerWorkload.h"
#include "rlg/Planner/Strategy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace rlg::analysis {

struct ClusterPlanOptions {
  std::string strategy = "search";
  ClusterSpec cluster;
  PlanSettings settings;
  planner::Efficiency efficiency;
  /// Let layouts have pipeline stages (pp > 1): for sizing only, the
  /// runtime does not run them. Without it a pin of pp > 1 is an error.
  bool allowPipeline = false;
};

/// A strategy's answer with what it was asked.
struct ClusterPlan {
  ExtractedWorkload extracted;
  planner::PlanProblem problem;
  planner::StrategyResult result;
};

/// "cpu" for a cluster of CPU devices, else "cuda".
std::string clusterDeviceKind(const ClusterSpec &cluster);

/// The problem of `module` (settings already applied) on the cluster. A pin
/// of pp > 1 without `allowPipeline` is an error at the rlg.hints.
mlir::FailureOr<planner::PlanProblem>
buildPlanProblem(mlir::ModuleOp module, const ClusterPlanOptions &options,
                 ExtractedWorkload &extracted);

/// Extracts the workload and runs the strategy. When nothing fits, or a pin
/// cannot be met, reports the planner's reason and hint at the model it
/// names (else at the rlg.hints when the error is about a pin or the
/// program pins or colocates, else at the largest model) and fails.
mlir::FailureOr<ClusterPlan> planForCluster(mlir::ModuleOp module,
                                            const ClusterPlanOptions &options);

/// Where every placeable op runs under the chosen plan. A model's calls run
/// on its group's devices: generate with dp = devices / generateTp,
/// tp = generateTp, pp = 1; the others with the training layout's tp, pp,
/// ZeRO (trainable models), micro-batch and checkpointing (updates), dp
/// over the rest; a model offloads when its layout says so; keys the
/// schedule pins and the planner does not decide (zero, microbatch,
/// checkpointing, offload) keep their pinned values. An op that calls no
/// model runs where its first input is (an op without inputs: where its
/// first model-calling reader runs), with dp the largest divisor of the
/// mesh size that divides its batch and tp the rest of the mesh. A model
/// the planned step does not call runs on every planned device.
PlacementPlan placementFromPlan(const PlacementProblem &problem,
                                const ClusterPlan &plan);

/// Writes the chosen plan's predictions into the IR as `rlg.predictions`:
/// {time_s} on each planned call, {step_time_s, tokens_per_s} on the
/// planned step, {strategy, cluster, memory_bytes = {RANK = {PHASE =
/// bytes}}} on the module.
void recordPredictions(mlir::ModuleOp module, const ClusterPlan &plan);

/// The placement strategy behind each planner strategy in the registry of
/// Placement.cpp: reads `options.clusterFile`, plans, and records the
/// predictions.
mlir::LogicalResult planOnCluster(const PlacementProblem &problem,
                                  const PlacementOptions &options,
                                  PlacementPlan &plan);

} // namespace rlg::analysis
