// rlg-mark-overlap: marks the ops the schedule's overlap mode concerns.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/OverlapMarks.h"

namespace rlg {
#define GEN_PASS_DEF_MARKOVERLAP
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

namespace {

struct MarkOverlap : rlg::impl::MarkOverlapBase<MarkOverlap> {
  void runOnOperation() override {
    if (mlir::failed(rlg::analysis::markOverlap(getOperation())))
      signalPassFailure();
  }
};

} // namespace
