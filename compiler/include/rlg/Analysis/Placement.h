// Placement as three parts, kept apart: the problem (what must be placed and
// what the schedule pins), strategies that solve it (pluggable by name), and
// applying a solution to the IR. PlacementVerifier.h checks any solution.
#pragma once

#include "rlg/Analysis/PlanSettings.h"
#include "rlg/Analysis/ScheduleHints.h"
#include "rlg/Dialect/RLG/IR/RLGAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/MapVector.h"

#include <string>
#include <vector>

namespace rlg::analysis {

/// What a strategy must place.
struct PlacementProblem {
  mlir::ModuleOp module;
  ScheduleHints hints;
  /// Every placeable op of every step, steps in module order, ops in block
  /// order.
  std::vector<mlir::Operation *> ops;
};

/// Reads the problem from a module.
PlacementProblem buildPlacementProblem(mlir::ModuleOp module);

/// Settings every strategy understands.
struct PlacementOptions {
  std::string deviceKind = "cpu"; ///< "cpu" or "cuda"
  /// The strategy being run (placeModule sets it).
  std::string strategy;
  /// Strategies that plan for a cluster: its file, and optionally a
  /// calibration file of the cost model's efficiencies.
  std::string clusterFile;
  std::string calibrationFile;
  /// `key=value` sizes to plan for (PlanSettings.h); placeModule parses and
  /// applies them before any strategy runs.
  std::vector<std::string> settingItems;
  PlanSettings settings;
  /// The planner's strategies may use pipeline stages (pp > 1): for sizing
  /// only, the runtime does not run them.
  bool allowPipeline = false;
};

/// A solution: the devices used, and where and how each op runs.
struct PlacementPlan {
  int64_t deviceCount = 0;
  std::string deviceKind;
  llvm::MapVector<mlir::Operation *, ir::PlacementAttr> placements;
};

/// Solves a problem, or reports at the IR why it cannot and fails.
using PlacementAlgorithm = mlir::LogicalResult (*)(const PlacementProblem &,
                                                   const PlacementOptions &,
                                                   PlacementPlan &);

struct PlacementStrategy {
  llvm::StringRef name;    ///< "single-device"
  llvm::StringRef summary; ///< one line for --help and messages
  PlacementAlgorithm plan;
  /// Plans for a cluster file (the planner's strategies).
  bool needsCluster = false;
};

/// Every registered strategy, in registration order: single-device, then
/// the planner's (lib/Planner/Strategies.cpp), which plan for a cluster.
llvm::ArrayRef<PlacementStrategy> placementStrategies();

/// The strategy called `name`, or null.
const PlacementStrategy *lookupPlacementStrategy(llvm::StringRef name);

/// Writes a plan into the IR: rlg.devices on the module and rlg.placement
/// on each placed op.
void applyPlacementPlan(mlir::ModuleOp module, const PlacementPlan &plan);

/// The op's rlg.placement, or null.
ir::PlacementAttr placementOf(mlir::Operation *op);

/// Where a value lives: the mesh of the op that produced it, or the
/// destination of the transfer that moved it; null if unknown.
ir::MeshAttr meshOf(mlir::Value value);

/// Applies the settings, builds the problem, solves it with the strategy
/// called `strategy` and applies the plan; on failure the reasons are
/// reported and no placement is written.
mlir::LogicalResult placeModule(mlir::ModuleOp module, llvm::StringRef strategy,
                                const PlacementOptions &options);

} // namespace rlg::analysis
