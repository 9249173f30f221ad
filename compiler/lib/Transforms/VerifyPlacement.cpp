// rlg-verify-placement: checks a placement plan, whichever strategy made it.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/PlacementVerifier.h"

namespace rlg {
#define GEN_PASS_DEF_VERIFYPLACEMENT
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

namespace {

struct VerifyPlacement : rlg::impl::VerifyPlacementBase<VerifyPlacement> {
  void runOnOperation() override {
    if (mlir::failed(rlg::analysis::verifyPlacement(getOperation())))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
