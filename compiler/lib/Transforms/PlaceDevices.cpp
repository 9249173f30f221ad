// rlg-place: places step ops with the placement strategy its option names.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/Placement.h"

namespace rlg {
#define GEN_PASS_DEF_PLACEDEVICES
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

namespace {

struct PlaceDevices : rlg::impl::PlaceDevicesBase<PlaceDevices> {
  using Base::Base;

  void runOnOperation() override {
    rlg::analysis::PlacementOptions options;
    options.deviceKind = deviceKind;
    options.clusterFile = cluster;
    options.calibrationFile = calibration;
    options.settingItems.assign(settings.begin(), settings.end());
    options.allowPipeline = allowPipeline;
    if (mlir::failed(
            rlg::analysis::placeModule(getOperation(), strategy, options)))
      signalPassFailure();
  }
};

} // namespace
