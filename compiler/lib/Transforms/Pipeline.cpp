// The order of the rlg passes, one readable function per phase.
#include "rlg/Transforms/Pipeline.h"

#include "rlg/Analysis/Placement.h"
#include "rlg/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

namespace rlg {

void buildCanonicalizePipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options) {
  // Drop what no update needs, so later passes see only live work (and a
  // step that trains nothing is reported first).
  pm.addPass(createDeadNodeElimination());
  // Compute each deterministic value once per weights version.
  pm.addPass(createMergeIdenticalCalls());
  // Move frozen-model calls on data examples out of the steps, computed once
  // before training (runs after merging, so identical calls share a table).
  pm.addPass(createHoistInvariantCalls(
      HoistInvariantCallsOptions{/*force=*/options.forceHoist}));
  // Hoisting and merging can leave ops without users.
  pm.addPass(createDeadNodeElimination());
}

void buildPlacementPipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &options) {
  // Decide where and how every op runs, with the strategy the options name.
  PlaceDevicesOptions place;
  place.strategy = options.placementStrategy;
  place.deviceKind = options.deviceKind;
  place.cluster = options.clusterFile;
  place.calibration = options.calibrationFile;
  place.settings = options.settings;
  place.allowPipeline = options.allowPipeline;
  pm.addPass(createPlaceDevices(place));
  const analysis::PlacementStrategy *strategy =
      analysis::lookupPlacementStrategy(options.placementStrategy);
  if (strategy && strategy->needsCluster) {
    buildPlanMovesPipeline(pm);
    return;
  }
  // Check the plan, whichever strategy made it.
  pm.addPass(createVerifyPlacement());
}

void buildPlanMovesPipeline(mlir::OpPassManager &pm) {
  // Move weights and values where the placement needs them.
  pm.addPass(createInsertMoves());
  // Say which ops the overlap mode concerns.
  pm.addPass(createMarkOverlap());
  // Check the plan with everything it moves.
  pm.addPass(createVerifyPlacement());
}

void buildRlgPipeline(mlir::OpPassManager &pm, const PipelineOptions &options) {
  buildCanonicalizePipeline(pm, options);
  buildPlacementPipeline(pm, options);
}

namespace {

/// rlg-pipeline's options on the command line.
struct PipelineCommandLineOptions
    : mlir::PassPipelineOptions<PipelineCommandLineOptions> {
  Option<std::string> strategy{*this, "strategy",
                               llvm::cl::desc("Placement strategy"),
                               llvm::cl::init("single-device")};
  Option<std::string> deviceKind{*this, "device-kind",
                                 llvm::cl::desc("Device kind: cpu or cuda"),
                                 llvm::cl::init("cpu")};
  Option<bool> forceHoist{
      *this, "force-hoist",
      llvm::cl::desc("Precompute frozen calls on data even in short runs"),
      llvm::cl::init(false)};
  Option<std::string> cluster{
      *this, "cluster",
      llvm::cl::desc("Cluster file for the planner's strategies")};
  Option<std::string> calibration{
      *this, "calibration",
      llvm::cl::desc("Calibration file of the cost model's efficiencies")};
  ListOption<std::string> settings{
      *this, "set", llvm::cl::desc("key=value sizes to plan for")};
  Option<bool> allowPipeline{
      *this, "allow-pipeline",
      llvm::cl::desc("Let the planner use pipeline stages (pp > 1); for "
                     "sizing only, the runtime does not run them"),
      llvm::cl::init(false)};
};

} // namespace

void registerRlgPipeline() {
  mlir::PassPipelineRegistration<PipelineCommandLineOptions>(
      "rlg-pipeline",
      "Canonicalise the steps, then place them (what `rlg` runs)",
      [](mlir::OpPassManager &pm, const PipelineCommandLineOptions &cli) {
        PipelineOptions options;
        options.placementStrategy = cli.strategy;
        options.deviceKind = cli.deviceKind;
        options.forceHoist = cli.forceHoist;
        options.clusterFile = cli.cluster;
        options.calibrationFile = cli.calibration;
        options.settings.assign(cli.settings.begin(), cli.settings.end());
        options.allowPipeline = cli.allowPipeline;
        buildRlgPipeline(pm, options);
      });
}

} // namespace rlg
