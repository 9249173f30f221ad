// The order of the rlg passes, one readable function per phase.
#include "rlg/Transforms/Pipeline.h"

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
  pm.addPass(createPlaceDevices(
      PlaceDevicesOptions{/*strategy=*/options.placementStrategy,
                          /*deviceKind=*/options.deviceKind}));
  // Check the plan, whichever strategy made it.
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
        buildRlgPipeline(pm, options);
      });
}

} // namespace rlg
