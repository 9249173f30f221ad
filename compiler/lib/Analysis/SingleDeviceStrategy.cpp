// The single-device placement strategy: every op on device 0.
#include "rlg/Analysis/Placement.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace rlg::analysis {

namespace {

/// Reports each pin that asks for more than one device (dp, tp or pp > 1).
LogicalResult checkPinsFitOneDevice(const ScheduleHints &hints) {
  bool fits = true;
  for (auto [key, pin] : hints.pins) {
    std::string pinned;
    int64_t devices = 1;
    for (llvm::StringRef axis : {"dp", "tp", "pp"}) {
      int64_t degree = pinnedInt(pin, axis).value_or(1);
      if (degree <= 1)
        continue;
      pinned += (pinned.empty() ? "" : ", ") + axis.str() + " = " +
                std::to_string(degree);
      devices *= degree;
    }
    if (devices == 1)
      continue;
    fits = false;
    InFlightDiagnostic diag = hints.op->emitError()
                              << "schedule pins " << key << " { " << pinned
                              << " }, which needs " << devices
                              << " devices; the single-device strategy "
                                 "places everything on 1 device";
    diag.attachNote() << "remove the pin of " << key
                      << ", or plan for a cluster with `rlg plan --cluster "
                         "FILE`";
  }
  return success(fits);
}

/// dp = tp = pp = 1, with `zero`, `microbatch`, `checkpointing` and
/// `offload` from `pin` where it holds them, otherwise ZeRO 0, no
/// checkpointing or offload, and the micro-batch `microbatch`.
ir::LayoutAttr singleDeviceLayout(MLIRContext *context, DictionaryAttr pin,
                                  int64_t microbatch) {
  return ir::LayoutAttr::get(
      context, /*dp=*/1, /*tp=*/1, /*pp=*/1,
      /*zero=*/pinnedInt(pin, "zero").value_or(0),
      /*microbatch=*/pinnedInt(pin, "microbatch").value_or(microbatch),
      /*checkpointing=*/pinnedBool(pin, "checkpointing").value_or(false),
      /*offload=*/pinnedBool(pin, "offload").value_or(false));
}

} // namespace

LogicalResult planSingleDevice(const PlacementProblem &problem,
                               const PlacementOptions &options,
                               PlacementPlan &plan) {
  if (failed(checkPinsFitOneDevice(problem.hints)))
    return failure();
  MLIRContext *context = problem.module->getContext();
  auto mesh = ir::MeshAttr::get(context, {0});
  plan.deviceCount = 1;
  plan.deviceKind = options.deviceKind;
  for (Operation *op : problem.ops) {
    // An update accumulates gradients over its own micro-batches; other
    // calls leave the micro-batch to the runtime (0).
    int64_t microbatch = 0;
    if (auto update = llvm::dyn_cast<ir::UpdateOp>(op))
      microbatch = static_cast<int64_t>(update.getMicrobatch());
    DictionaryAttr pin = problem.hints.pinFor(getModelCall(op));
    plan.placements[op] = ir::PlacementAttr::get(
        context, mesh, singleDeviceLayout(context, pin, microbatch));
  }
  return success();
}

} // namespace rlg::analysis
