// The rlg compiler's pass pipeline, in two phases the driver can stop
// between: canonicalisation (`rlg --emit=mlir`) and placement
// (`rlg --emit=planned`).
#pragma once

#include <string>

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
};

/// Simplifies every step: removes dead nodes, merges repeated work, hoists
/// per-example work out of the steps.
void buildCanonicalizePipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options);

/// Places every step op with the chosen strategy and checks the plan.
void buildPlacementPipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &options);

/// The whole pipeline: canonicalisation, then placement.
void buildRlgPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Registers `rlg-pipeline` (with options `strategy`, `device-kind` and
/// `force-hoist`) so rlg-opt can run it by name.
void registerRlgPipeline();

} // namespace rlg
