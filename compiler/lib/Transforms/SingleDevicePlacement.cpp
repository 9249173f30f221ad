// rlg-place-single-device: places every step op on one device with the
// "single-device" strategy.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/Placement.h"

namespace rlg {
#define GEN_PASS_DEF_SINGLEDEVICEPLACEMENT
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

namespace {

struct SingleDevicePlacement
    : rlg::impl::SingleDevicePlacementBase<SingleDevicePlacement> {
  using Base::Base;

  void runOnOperation() override {
    rlg::analysis::PlacementOptions options;
    options.deviceKind = deviceKind;
    if (mlir::failed(rlg::analysis::placeModule(getOperation(), "single-device",
                                                options)))
      signalPassFailure();
  }
};

} // namespace
