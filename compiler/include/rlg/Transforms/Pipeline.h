// The rlg compiler's pass pipeline, in two phases the driver can stop
// between: canonicalisation (`rlg --emit=mlir`) and placement
// (`rlg --emit=planned`).
#pragma once

#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace rlg {

struct PipelineOptions {
  /// The placement strategy, by its registered name.
  std::string placementStrategy = "single-device";
  /// The kind of device to plan for: "cpu" or "cuda".
  std::string deviceKind = "cpu";
  /// Precompute frozen calls on data even when the run is too short to pay.
  bool forceHoist = false;
  /// The planner's strategies: the cluster file to plan for, an optional
  /// calibration file, and `key=value` sizes (PlanSettings.h).
  std::string clusterFile;
  std::string calibrationFile;
  std::vector<std::string> settings;
  /// Let the planner's strategies use pipeline stages (for sizing only).
  bool allowPipeline = false;
};

/// Simplifies every step: removes dead nodes, merges repeated work, hoists
/// per-example work out of the steps.
void buildCanonicalizePipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options);

/// Places every step op with the chosen strategy and checks the plan; a
/// strategy that plans for a cluster is followed by the passes of
/// buildPlanMovesPipeline.
void buildPlacementPipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &options);

/// What follows a placement for a cluster: inserts the reshards, transfers
/// and offloads it needs, marks the overlap, and checks the plan.
void buildPlanMovesPipeline(mlir::OpPassManager &pm);

/// The whole pipeline: canonicalisation, then placement.
void buildRlgPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Registers `rlg-pipeline` (with options `strategy`, `device-kind`,
/// `force-hoist`, `cluster`, `calibration`, `set` and `allow-pipeline`) so
/// rlg-opt can run it by name.
void registerRlgPipeline();

} // namespace rlg
