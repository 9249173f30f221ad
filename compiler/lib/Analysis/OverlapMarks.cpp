// Marking the ops that the schedule's overlap mode concerns.
#include "rlg/Analysis/OverlapMarks.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

#include <set>

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

namespace {

std::string nameOf(Operation *op) {
  if (auto name = llvm::dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return op->getName().stripDialect().str();
}

/// The placed ops that read `value`, through transfers.
void readersOf(Value value, std::vector<Operation *> &readers) {
  for (Operation *user : value.getUsers()) {
    if (auto transfer = llvm::dyn_cast<TransferOp>(user)) {
      readersOf(transfer.getResult(), readers);
      continue;
    }
    if (user->hasAttr(RLGDialect::kPlacementAttrName) &&
        !llvm::is_contained(readers, user))
      readers.push_back(user);
  }
}

} // namespace

LogicalResult markOverlap(ModuleOp module) {
  auto hintsRange = module.getOps<HintsOp>();
  if (hintsRange.empty() || !module->hasAttr(RLGDialect::kDevicesAttrName))
    return success();
  HintsOp hints = *hintsRange.begin();
  DictionaryAttr overlap = hints.getOverlap();
  auto mode = overlap.getAs<StringAttr>("mode");
  if (!mode || mode.getValue() == "none")
    return success();
  Builder builder(module.getContext());
  auto number = [&](StringRef key) -> int64_t {
    auto value = overlap.getAs<IntegerAttr>(key);
    return value ? value.getInt() : 1;
  };
  std::set<std::string> trained;
  module.walk(
      [&](UpdateOp update) { trained.insert(update.getModel().str()); });
  bool ok = true;
  for (StepOp step : module.getOps<StepOp>()) {
    for (auto generate : step.getBodyBlock().getOps<GenerateOp>()) {
      if (!generate->hasAttr(RLGDialect::kPlacementAttrName))
        continue;
      if (mode.getValue() == "off_policy") {
        if (!trained.count(generate.getModel().str()))
          continue;
        generate->setAttr(
            RLGDialect::kOverlapAttrName,
            builder.getDictionaryAttr(
                {builder.getNamedAttr("mode", mode),
                 builder.getNamedAttr("staleness", builder.getI64IntegerAttr(
                                                       number("staleness")))}));
        continue;
      }
      int64_t chunks = number("chunks");
      int64_t prompts = generate.getPrompts().getType().getBatch();
      if (chunks > prompts) {
        ok = false;
        InFlightDiagnostic diag = hints.emitError()
                                  << "stream(chunks = " << chunks
                                  << ") cuts the " << prompts << " prompts of '"
                                  << nameOf(generate) << "' into more pieces "
                                  << "than prompts";
        diag.attachNote() << "use chunks <= " << prompts
                          << ", or draw more prompts per step";
        continue;
      }
      auto chunksAttr =
          builder.getNamedAttr("chunks", builder.getI64IntegerAttr(chunks));
      generate->setAttr(RLGDialect::kOverlapAttrName,
                        builder.getDictionaryAttr(
                            {builder.getNamedAttr("mode", mode), chunksAttr}));
      std::vector<Operation *> readers;
      readersOf(generate.getRollouts(), readers);
      for (Operation *reader : readers)
        reader->setAttr(
            RLGDialect::kOverlapAttrName,
            builder.getDictionaryAttr(
                {builder.getNamedAttr("mode", mode), chunksAttr,
                 builder.getNamedAttr(
                     "of", builder.getStringAttr(nameOf(generate)))}));
    }
  }
  return success(ok);
}

} // namespace rlg::analysis
