// Verifiers of the ops rlg-hoist-invariant inserts: rlg.precompute, rlg.lookup.
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace rlg::ir {

namespace {

/// The result type a logprob gives for a batch of `input`'s kind and shape:
/// pair scores for pairs, sequence scores for demos and labeled; null for
/// prompts, which have no responses to score.
Type logprobResultFor(Type input) {
  MLIRContext *context = input.getContext();
  return llvm::TypeSwitch<Type, Type>(input)
      .Case<PairsType>([&](PairsType pairs) -> Type {
        return PairScoresType::get(context, pairs.getBatch(), 0);
      })
      .Case<DemosType, LabeledType>([&](auto batch) -> Type {
        return SeqScoresType::get(context, batch.getBatch(), 0);
      })
      .Default([](Type) { return Type(); });
}

/// Looks through rlg.transfer ops to the op that drew `value`'s examples.
BatchOp drawingBatch(Value value) {
  while (auto transfer = value.getDefiningOp<TransferOp>())
    value = transfer.getInput();
  return value.getDefiningOp<BatchOp>();
}

} // namespace

LogicalResult PrecomputeOp::verify() {
  if (getCall() != "logprob")
    return emitOpError() << "only logprob calls are precomputed (score and "
                            "value read rollouts, which change every step), "
                            "got \""
                         << getCall() << "\"";
  return success();
}

LogicalResult PrecomputeOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto model = tables.lookupNearestSymbolFrom<ModelOp>(*this, getModelAttr());
  if (!model)
    return emitOpError() << "names " << getModelAttr()
                         << ", which is not a model";
  if (!model.getFrozen())
    return emitOpError() << "precomputes a call of " << getModelAttr()
                         << ", which is trained: only a frozen model's calls "
                            "stay the same from step to step";
  if (model.getRole() != "policy")
    return emitOpError() << "logprob needs a policy model, but "
                         << getModelAttr() << " is a " << model.getRole()
                         << " model";
  auto data = tables.lookupNearestSymbolFrom<DataOp>(*this, getDataAttr());
  if (!data)
    return emitOpError() << "names " << getDataAttr()
                         << ", which is not a data source";
  if (getDemos()) {
    if (data.getKind() != "prompts" || !data.getAnswers())
      return emitOpError() << "demos of " << getDataAttr()
                           << " need a prompts source with answers";
    return success();
  }
  if (data.getKind() == "prompts")
    return emitOpError() << "the prompts of " << getDataAttr()
                         << " have no responses to score";
  return success();
}

LogicalResult LookupOp::verify() {
  Type input = getExamples().getType();
  Type want = logprobResultFor(input);
  if (!want)
    return emitOpError() << "reads examples with responses (pairs, demos or "
                            "labeled), got "
                         << input;
  if (getType() != want)
    return emitOpError() << "result must be " << want << " for " << input
                         << ", got " << getType();
  return success();
}

LogicalResult LookupOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto table =
      tables.lookupNearestSymbolFrom<PrecomputeOp>(*this, getTableAttr());
  if (!table)
    return emitOpError() << "names " << getTableAttr()
                         << ", which is not an rlg.precompute table";
  BatchOp batch = drawingBatch(getExamples());
  if (!batch || batch.getDataAttr() != table.getDataAttr() ||
      batch.getDemos() != table.getDemos())
    return emitOpError() << "reads rows of " << getTableAttr()
                         << ", so its examples must be drawn by rlg.batch "
                         << table.getDataAttr()
                         << (table.getDemos() ? " {demos}" : "");
  return success();
}

} // namespace rlg::ir
