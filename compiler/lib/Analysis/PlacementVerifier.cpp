// Checking a placement plan: devices, layouts, pins, transfers, reshards.
#include "rlg/Analysis/PlacementVerifier.h"

#include "rlg/Analysis/Placement.h"
#include "rlg/Analysis/ScheduleHints.h"
#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <string>

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

namespace {

std::string meshText(MeshAttr mesh) {
  std::string text = "[";
  for (auto [index, rank] : llvm::enumerate(mesh.getDevices()))
    text += (index ? ", " : "") + std::to_string(rank);
  return text + "]";
}

/// "mesh [0, 1] with tp = 2, pp = 1": what a reshard changes.
std::string shardingText(PlacementAttr placement) {
  return "mesh " + meshText(placement.getMesh()) +
         " with tp = " + std::to_string(placement.getLayout().getTp()) +
         ", pp = " + std::to_string(placement.getLayout().getPp());
}

bool sameSharding(PlacementAttr a, PlacementAttr b) {
  return a.getMesh() == b.getMesh() &&
         a.getLayout().getTp() == b.getLayout().getTp() &&
         a.getLayout().getPp() == b.getLayout().getPp();
}

/// "'ro'" from the producer's NameLoc, or "a value".
std::string valueText(Value value) {
  if (Operation *producer = value.getDefiningOp())
    if (auto name = llvm::dyn_cast<NameLoc>(producer->getLoc()))
      return "'" + name.getName().str() + "'";
  return "a value";
}

class PlacementChecker {
public:
  explicit PlacementChecker(ModuleOp module)
      : module(module), hints(readScheduleHints(module)) {}

  LogicalResult run() {
    auto devices =
        module->getAttrOfType<DictionaryAttr>(RLGDialect::kDevicesAttrName);
    auto count = devices ? devices.getAs<IntegerAttr>("count") : nullptr;
    if (!count) {
      report(module, "the module has no rlg.devices, so it is not placed",
             "run a placement strategy first, e.g. rlg-place-single-device");
      return failure();
    }
    deviceCount = count.getInt();
    for (StepOp step : module.getOps<StepOp>()) {
      for (Operation &op : step.getBodyBlock())
        checkOp(&op);
      checkReshards(step);
    }
    checkColocation();
    return success(ok);
  }

private:
  /// Reports an error at `op` with a hint note.
  void report(Operation *op, const std::string &message,
              const std::string &hintText) {
    ok = false;
    InFlightDiagnostic diag = op->emitError() << message;
    diag.attachNote() << hintText;
  }

  void checkOp(Operation *op) {
    if (auto transfer = llvm::dyn_cast<TransferOp>(op)) {
      checkMesh(op, transfer.getFrom());
      checkMesh(op, transfer.getTo());
      MeshAttr source = meshOf(transfer.getInput());
      if (source && source != transfer.getFrom())
        report(op,
               "transfers " + valueText(transfer.getInput()) + " from mesh " +
                   meshText(transfer.getFrom()) + ", but it is on mesh " +
                   meshText(source),
               "set the transfer's `from` to " + meshText(source));
      return;
    }
    if (auto reshard = llvm::dyn_cast<ReshardOp>(op)) {
      checkMesh(op, reshard.getFrom().getMesh());
      checkMesh(op, reshard.getTo().getMesh());
      return;
    }
    if (!isPlaceable(op))
      return;
    PlacementAttr placement = placementOf(op);
    if (!placement) {
      report(op,
             "'" + op->getName().getStringRef().str() +
                 "' has no rlg.placement",
             "every op of a step but losses and planning ops needs one; run "
             "a placement strategy, e.g. rlg-place-single-device");
      return;
    }
    checkMesh(op, placement.getMesh());
    checkBatchSplit(op, placement.getLayout());
    checkPin(op, placement.getLayout());
    checkInputsOnMesh(op, placement.getMesh());
  }

  void checkMesh(Operation *op, MeshAttr mesh) {
    for (int64_t rank : mesh.getDevices())
      if (rank < 0 || rank >= deviceCount) {
        report(op,
               "runs on device " + std::to_string(rank) +
                   ", but the module plans for " + std::to_string(deviceCount) +
                   " device" + (deviceCount == 1 ? "" : "s"),
               "use ranks 0 to " + std::to_string(deviceCount - 1) +
                   ", or raise the count in rlg.devices");
        return;
      }
  }

  void checkBatchSplit(Operation *op, LayoutAttr layout) {
    int64_t sequences = processedSequences(op);
    if (sequences == 0)
      return;
    const char *what = llvm::isa<UpdateOp>(op) ? "mini-batch" : "batch";
    int64_t dp = layout.getDp();
    if (sequences % dp != 0) {
      report(op,
             "dp = " + std::to_string(dp) + " does not divide the " + what +
                 " of " + std::to_string(sequences),
             "choose a dp that divides " + std::to_string(sequences));
      return;
    }
    int64_t microbatch = layout.getMicrobatch();
    if (microbatch > 0 && sequences % (microbatch * dp) != 0)
      report(op,
             "micro-batch " + std::to_string(microbatch) + " on each of " +
                 std::to_string(dp) + " replica" + (dp == 1 ? "" : "s") +
                 " does not divide the " + what + " of " +
                 std::to_string(sequences),
             "choose a micro-batch such that micro-batch x dp divides " +
                 std::to_string(sequences));
  }

  void checkPin(Operation *op, LayoutAttr layout) {
    ModelCall call = getModelCall(op);
    DictionaryAttr pin = hints.pinFor(call);
    if (!pin)
      return;
    auto actual = [&](llvm::StringRef key) -> int64_t {
      if (key == "dp")
        return layout.getDp();
      if (key == "tp")
        return layout.getTp();
      if (key == "pp")
        return layout.getPp();
      if (key == "zero")
        return layout.getZero();
      if (key == "microbatch")
        return layout.getMicrobatch();
      if (key == "checkpointing")
        return layout.getCheckpointing();
      return layout.getOffload();
    };
    auto text = [](llvm::StringRef key, int64_t value) {
      bool isBool = key == "checkpointing" || key == "offload";
      return key.str() + " = " +
             (isBool ? (value ? "true" : "false") : std::to_string(value));
    };
    for (llvm::StringRef key : kLayoutKeys) {
      std::optional<int64_t> want = pinnedInt(pin, key);
      if (std::optional<bool> flag = pinnedBool(pin, key))
        want = *flag;
      if (!want || *want == actual(key))
        continue;
      report(op,
             "layout has " + text(key, actual(key)) +
                 ", but the schedule pins " + call.key() + " { " +
                 text(key, *want) + " }",
             "keep the pinned value, or change the schedule block");
    }
  }

  void checkInputsOnMesh(Operation *op, MeshAttr mesh) {
    for (Value input : readValues(op)) {
      MeshAttr source = meshOf(input);
      if (!source || source == mesh)
        continue;
      report(op,
             "reads " + valueText(input) + " from mesh " + meshText(source) +
                 " but runs on mesh " + meshText(mesh),
             "insert an rlg.transfer of it from " + meshText(source) + " to " +
                 meshText(mesh));
    }
  }

  /// Walks each model's calls in block order, following its reshards.
  void checkReshards(StepOp step) {
    llvm::StringMap<PlacementAttr> current;
    for (Operation &op : step.getBodyBlock()) {
      if (auto reshard = llvm::dyn_cast<ReshardOp>(op)) {
        PlacementAttr before = current.lookup(reshard.getModel());
        if (before && !sameSharding(before, reshard.getFrom()))
          report(&op,
                 "reshards @" + reshard.getModel().str() + " from " +
                     shardingText(reshard.getFrom()) +
                     ", but its previous call ran on " + shardingText(before),
                 "set the reshard's `from` to the previous call's placement");
        current[reshard.getModel()] = reshard.getTo();
        continue;
      }
      ModelCall call = getModelCall(&op);
      PlacementAttr placement = call ? placementOf(&op) : nullptr;
      if (!placement)
        continue;
      PlacementAttr before = current.lookup(call.model);
      if (before && !sameSharding(before, placement))
        report(&op,
               "@" + call.model.str() + " is on " + shardingText(before) +
                   ", but this call runs on " + shardingText(placement),
               "insert `rlg.reshard @" + call.model.str() +
                   "` before this call, from the previous placement to this "
                   "one");
      current[call.model] = placement;
    }
  }

  /// The calls of a colocate group's models all run on one mesh.
  void checkColocation() {
    std::vector<std::pair<Operation *, MeshAttr>> first(hints.colocate.size());
    for (StepOp step : module.getOps<StepOp>()) {
      for (Operation &op : step.getBodyBlock()) {
        ModelCall call = getModelCall(&op);
        int group = call ? hints.colocateGroupOf(call.model) : -1;
        PlacementAttr placement = group >= 0 ? placementOf(&op) : nullptr;
        if (!placement)
          continue;
        auto &[firstOp, firstMesh] = first[group];
        if (!firstOp) {
          firstOp = &op;
          firstMesh = placement.getMesh();
          continue;
        }
        if (placement.getMesh() == firstMesh)
          continue;
        ModelCall firstCall = getModelCall(firstOp);
        report(&op,
               "@" + call.model.str() + " is colocated with @" +
                   firstCall.model.str() + ", but this call runs on mesh " +
                   meshText(placement.getMesh()) + " and " + firstCall.key() +
                   " on mesh " + meshText(firstMesh),
               "run every call of a colocate group on one mesh, or change "
               "the schedule's colocate(...)");
      }
    }
  }

  ModuleOp module;
  ScheduleHints hints;
  int64_t deviceCount = 0;
  bool ok = true;
};

} // namespace

LogicalResult verifyPlacement(ModuleOp module) {
  return PlacementChecker(module).run();
}

} // namespace rlg::analysis
