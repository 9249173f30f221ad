// Verifiers of the rlg dialect's ops: the invariants the front end relies on.
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace rlg::ir {

namespace {

/// I64Attr getters return uint64_t; checks compare signed values.
int64_t i64(uint64_t value) { return static_cast<int64_t>(value); }

bool sameShape(Type a, Type b) {
  int64_t batchA = 0, samplesA = 0, batchB = 0, samplesB = 0;
  return getBatchShape(a, batchA, samplesA) &&
         getBatchShape(b, batchB, samplesB) && batchA == batchB &&
         samplesA == samplesB;
}

LogicalResult expectSameShape(Operation *op, Type a, Type b, StringRef what) {
  if (sameShape(a, b))
    return success();
  return op->emitOpError() << what << " must have the same batch shape, got "
                           << shapeText(a) << " and " << shapeText(b);
}

bool isOneOf(StringRef value, std::initializer_list<StringRef> choices) {
  for (StringRef choice : choices)
    if (value == choice)
      return true;
  return false;
}

/// The rlg.model a call names, or an error at the call.
FailureOr<ModelOp> lookupModel(Operation *op, SymbolTableCollection &tables,
                               FlatSymbolRefAttr name) {
  auto model = tables.lookupNearestSymbolFrom<ModelOp>(op, name);
  if (!model)
    return op->emitOpError() << "names " << name << ", which is not a model";
  return model;
}

LogicalResult expectRole(Operation *op, SymbolTableCollection &tables,
                         FlatSymbolRefAttr name, StringRef role) {
  FailureOr<ModelOp> model = lookupModel(op, tables, name);
  if (failed(model))
    return failure();
  if (model->getRole() != role)
    return op->emitOpError() << "needs a " << role << " model, but " << name
                             << " is a " << model->getRole() << " model";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

LogicalResult ModelOp::verify() {
  if (!isOneOf(getRole(), {"policy", "value", "reward"}))
    return emitOpError() << "role must be policy, value or reward, got \""
                         << getRole() << "\"";
  for (auto [name, value] :
       {std::pair{"layers", i64(getLayers())}, {"hidden", i64(getHidden())},
        {"ffn", i64(getFfn())}, {"heads", i64(getHeads())}, {"kv_heads", i64(getKvHeads())},
        {"vocab", i64(getVocab())}})
    if (value < 1)
      return emitOpError() << name << " must be at least 1, got " << value;
  if (i64(getHidden()) % i64(getHeads()) != 0)
    return emitOpError() << "hidden size " << i64(getHidden())
                         << " is not divisible by " << i64(getHeads()) << " heads";
  if (i64(getHeads()) % i64(getKvHeads()) != 0)
    return emitOpError() << i64(getHeads()) << " heads are not divisible by "
                         << i64(getKvHeads()) << " key/value heads";
  if (getFrozen() != getSource().has_value())
    return emitOpError() << (getFrozen() ? "a frozen model needs a source"
                                         : "only a frozen model has a source");
  if (getFrozen() && getOptimizer())
    return emitOpError() << "a frozen model has no optimizer";
  return success();
}

LogicalResult DataOp::verify() {
  if (!isOneOf(getKind(), {"prompts", "pairs", "demos", "labeled"}))
    return emitOpError() << "kind must be prompts, pairs, demos or labeled, "
                            "got \""
                         << getKind() << "\"";
  return success();
}

LogicalResult RewardOp::verify() {
  StringRef kind = getKind();
  if (kind == "rule") {
    if (!getRule())
      return emitOpError() << "a rule reward needs 'rule'";
    if (!isOneOf(*getRule(),
                 {"exact_match", "format", "length_penalty", "overlong"}))
      return emitOpError() << "unknown rule \"" << *getRule() << "\"";
    return success();
  }
  if (kind == "model")
    return getModel() ? success()
                      : emitOpError() << "a model reward needs 'model'";
  if (kind == "sum") {
    if (!getTerms() || !getWeights() || getTerms()->empty())
      return emitOpError() << "a weighted sum needs 'terms' and 'weights'";
    if (getTerms()->size() != getWeights()->size())
      return emitOpError() << "has " << getTerms()->size() << " terms but "
                           << getWeights()->size() << " weights";
    return success();
  }
  return emitOpError() << "kind must be rule, model or sum, got \"" << kind
                       << "\"";
}

LogicalResult RunOp::verify() {
  if (getStages().empty())
    return emitOpError() << "needs at least one stage";
  for (Attribute stage : getStages()) {
    auto dict = llvm::dyn_cast<DictionaryAttr>(stage);
    auto step = dict ? dict.getAs<FlatSymbolRefAttr>("step") : nullptr;
    auto steps = dict ? dict.getAs<IntegerAttr>("steps") : nullptr;
    if (!step || !steps)
      return emitOpError() << "each stage is {step = @S, steps = N}";
    if (steps.getInt() < 1)
      return emitOpError() << "a stage runs at least 1 step, got "
                           << steps.getInt();
    if (!SymbolTable::lookupNearestSymbolFrom<StepOp>(*this, step))
      return emitOpError() << "stage names " << step << ", which is not a step";
  }
  if (i64(getSeed()) < 0)
    return emitOpError() << "seed must not be negative";
  return success();
}

LogicalResult EvalOp::verify() {
  if (i64(getEvery()) < 1 || i64(getK()) < 1)
    return emitOpError() << "'every' and 'k' must be at least 1";
  if (!SymbolTable::lookupNearestSymbolFrom<DataOp>(*this, getDataAttr()))
    return emitOpError() << "names " << getDataAttr()
                         << ", which is not a data source";
  auto model =
      SymbolTable::lookupNearestSymbolFrom<ModelOp>(*this, getModelAttr());
  if (!model || model.getRole() != "policy")
    return emitOpError() << "evaluates " << getModelAttr()
                         << ", which is not a policy model";
  return success();
}

//===----------------------------------------------------------------------===//
// Step nodes
//===----------------------------------------------------------------------===//

LogicalResult BatchOp::verify() {
  int64_t batch = 0, samples = 0;
  getBatchShape(getType(), batch, samples);
  if (batch != i64(getSize()))
    return emitOpError() << "draws " << i64(getSize()) << " items but its type has "
                         << batch;
  if (samples != 0)
    return emitOpError() << "a data batch has no samples per item";
  if (getDemos() && !llvm::isa<DemosType>(getType()))
    return emitOpError() << "a demos batch has type !rlg.demos";
  return success();
}

LogicalResult BatchOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto data = tables.lookupNearestSymbolFrom<DataOp>(*this, getDataAttr());
  if (!data)
    return emitOpError() << "names " << getDataAttr()
                         << ", which is not a data source";
  StringRef want = getDemos() ? "prompts" : data.getKind();
  StringRef kind = llvm::TypeSwitch<Type, StringRef>(getType())
                       .Case<PromptsType>([](auto) { return "prompts"; })
                       .Case<PairsType>([](auto) { return "pairs"; })
                       .Case<DemosType>([&](auto) {
                         return getDemos() ? "prompts" : "demos";
                       })
                       .Case<LabeledType>([](auto) { return "labeled"; })
                       .Default([](Type) { return ""; });
  if (kind != want || (getDemos() && !data.getAnswers()))
    return emitOpError() << "type " << getType() << " does not match data "
                         << getDataAttr() << " of kind \"" << data.getKind()
                         << "\"";
  return success();
}

LogicalResult GenerateOp::verify() {
  RolloutsType rollouts = getRollouts().getType();
  if (i64(getN()) < 1)
    return emitOpError() << "n must be at least 1, got " << i64(getN());
  if (rollouts.getBatch() != getPrompts().getType().getBatch() ||
      rollouts.getSamples() != i64(getN()))
    return emitOpError() << "result must be !rlg.rollouts<"
                         << getPrompts().getType().getBatch() << " x "
                         << i64(getN()) << ">, got " << rollouts;
  if (getGreedy() && i64(getN()) != 1)
    return emitOpError() << "greedy decoding needs n = 1, got " << i64(getN());
  if (i64(getMaxTokens()) < 1)
    return emitOpError() << "max_tokens must be at least 1";
  if (getTemperature().convertToDouble() < 0)
    return emitOpError() << "temperature must not be negative";
  double topP = getTopP().convertToDouble();
  if (topP <= 0 || topP > 1)
    return emitOpError() << "top_p must be in (0, 1], got " << topP;
  if (i64(getTopK()) < 0)
    return emitOpError() << "top_k must not be negative";
  return success();
}

LogicalResult GenerateOp::verifySymbolUses(SymbolTableCollection &tables) {
  return expectRole(*this, tables, getModelAttr(), "policy");
}

LogicalResult LogprobOp::verify() {
  Type input = getInput().getType(), result = getType();
  bool ok = (llvm::isa<RolloutsType>(input) &&
             llvm::isa<TokenScoresType>(result)) ||
            (llvm::isa<PairsType>(input) && llvm::isa<PairScoresType>(result)) ||
            (llvm::isa<DemosType, LabeledType>(input) &&
             llvm::isa<SeqScoresType>(result));
  if (!ok)
    return emitOpError() << "maps rollouts to token scores, pairs to pair "
                            "scores, demos or labeled to sequence scores; got "
                         << input << " -> " << result;
  return expectSameShape(*this, input, result, "input and result");
}

LogicalResult LogprobOp::verifySymbolUses(SymbolTableCollection &tables) {
  return expectRole(*this, tables, getModelAttr(), "policy");
}

LogicalResult ValueOp::verify() {
  return expectSameShape(*this, getRollouts().getType(), getType(),
                         "rollouts and values");
}

LogicalResult ValueOp::verifySymbolUses(SymbolTableCollection &tables) {
  return expectRole(*this, tables, getModelAttr(), "value");
}

LogicalResult ScoreOp::verify() {
  return expectSameShape(*this, getRollouts().getType(), getType(),
                         "rollouts and scores");
}

LogicalResult ScoreOp::verifySymbolUses(SymbolTableCollection &tables) {
  return expectRole(*this, tables, getModelAttr(), "reward");
}

LogicalResult RewardApplyOp::verify() {
  return expectSameShape(*this, getRollouts().getType(), getType(),
                         "rollouts and rewards");
}

LogicalResult RewardApplyOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (!tables.lookupNearestSymbolFrom<RewardOp>(*this, getRewardAttr()))
    return emitOpError() << "names " << getRewardAttr()
                         << ", which is not a reward";
  return success();
}

LogicalResult KlOp::verify() {
  if (!isOneOf(getEstimator(), {"k1", "k2", "k3"}))
    return emitOpError() << "estimator must be k1, k2 or k3, got \""
                         << getEstimator() << "\"";
  if (failed(expectSameShape(*this, getLp().getType(), getRefLp().getType(),
                             "log-probs")))
    return failure();
  return expectSameShape(*this, getLp().getType(), getType(),
                         "log-probs and result");
}

LogicalResult AddOp::verify() {
  Type lhs = getLhs().getType(), rhs = getRhs().getType(), out = getType();
  if (failed(expectSameShape(*this, lhs, rhs, "operands")) ||
      failed(expectSameShape(*this, lhs, out, "operands and result")))
    return failure();
  bool seqToken = (llvm::isa<SeqScoresType>(lhs) &&
                   llvm::isa<TokenScoresType>(rhs)) ||
                  (llvm::isa<TokenScoresType>(lhs) &&
                   llvm::isa<SeqScoresType>(rhs));
  if (seqToken)
    return llvm::isa<TokenScoresType>(out)
               ? success()
               : emitOpError() << "sequence plus token scores gives token "
                                  "scores";
  if (lhs.getTypeID() != rhs.getTypeID() || lhs != out ||
      llvm::isa<PairScoresType>(lhs))
    return emitOpError() << "cannot add " << lhs << " and " << rhs << " into "
                         << out;
  return success();
}

LogicalResult AdvantageOp::verify() {
  StringRef estimator = getEstimator();
  size_t want = llvm::StringSwitch<size_t>(estimator)
                    .Cases("gae", "remax", 2)
                    .Cases("grpo", "rloo", "reinforce_pp", 1)
                    .Default(0);
  if (want == 0)
    return emitOpError() << "unknown estimator \"" << estimator << "\"";
  if (getInputs().size() != want)
    return emitOpError() << "'" << estimator << "' takes " << want
                         << " inputs, got " << getInputs().size();
  Type rewards = getInputs()[0].getType();
  if (!llvm::isa<SeqScoresType, TokenScoresType>(rewards))
    return emitOpError() << "rewards must be sequence or token scores, got "
                         << rewards;
  if (failed(expectSameShape(*this, rewards, getType(),
                             "rewards and advantages")))
    return failure();
  int64_t batch = 0, samples = 0;
  getBatchShape(rewards, batch, samples);
  if ((estimator == "grpo" || estimator == "rloo") && samples < 2)
    return emitOpError() << "'" << estimator
                         << "' needs at least 2 samples per prompt, got "
                         << samples;
  if (estimator == "gae") {
    Type values = getInputs()[1].getType();
    if (!llvm::isa<TokenScoresType>(values))
      return emitOpError() << "gae's values must be token scores";
    return expectSameShape(*this, rewards, values, "rewards and values");
  }
  if (estimator == "remax") {
    auto baseline = llvm::dyn_cast<SeqScoresType>(getInputs()[1].getType());
    if (!baseline || baseline.getSamples() != 1 ||
        baseline.getBatch() != batch)
      return emitOpError() << "the remax baseline must be !rlg.seq_scores<"
                           << batch << " x 1>";
  }
  return success();
}

LogicalResult ReturnsOp::verify() {
  if (failed(expectSameShape(*this, getAdvantages().getType(),
                             getValues().getType(), "advantages and values")))
    return failure();
  return expectSameShape(*this, getValues().getType(), getType(),
                         "values and returns");
}

LogicalResult FilterDynamicOp::verify() {
  if (failed(expectSameShape(*this, getRollouts().getType(),
                             getRewards().getType(), "rollouts and rewards")))
    return failure();
  if (getRollouts().getType().getSamples() < 2)
    return emitOpError() << "filtering groups needs at least 2 samples per "
                            "prompt";
  if (getType().getSamples() != getRollouts().getType().getSamples())
    return emitOpError() << "keeps whole groups: the sample count stays "
                         << getRollouts().getType().getSamples();
  return success();
}

//===----------------------------------------------------------------------===//
// Losses and updates
//===----------------------------------------------------------------------===//

LogicalResult PpoClipLossOp::verify() {
  if (failed(expectSameShape(*this, getOldLp().getType(),
                             getAdvantages().getType(),
                             "old log-probs and advantages")))
    return failure();
  double low = getClipLow().convertToDouble();
  double high = getClipHigh().convertToDouble();
  if (low <= 0 || low >= 1)
    return emitOpError() << "clip_low must be in (0, 1), got " << low;
  if (high <= 0)
    return emitOpError() << "clip_high must be positive, got " << high;
  if (getDualClip() && getDualClip()->convertToDouble() <= 1)
    return emitOpError() << "dual_clip must be greater than 1";
  return success();
}

LogicalResult KlLossOp::verify() {
  if (!isOneOf(getEstimator(), {"k1", "k2", "k3"}))
    return emitOpError() << "estimator must be k1, k2 or k3, got \""
                         << getEstimator() << "\"";
  return success();
}

LogicalResult ValueLossOp::verify() {
  if (getClip() && getClip()->convertToDouble() <= 0)
    return emitOpError() << "clip must be positive";
  return expectSameShape(*this, getOldValues().getType(),
                         getReturns().getType(), "values and returns");
}

LogicalResult PreferenceLossOp::verify() {
  StringRef kind = getKind();
  Type input = getRefLp().getType();
  if (kind == "dpo" || kind == "ipo") {
    if (!llvm::isa<PairScoresType>(input))
      return emitOpError() << "'" << kind << "' needs pair scores, got "
                           << input;
  } else if (kind == "kto") {
    if (!llvm::isa<SeqScoresType>(input))
      return emitOpError() << "'kto' needs sequence scores, got " << input;
  } else {
    return emitOpError() << "kind must be dpo, ipo or kto, got \"" << kind
                         << "\"";
  }
  if (getBeta().convertToDouble() <= 0)
    return emitOpError() << "beta must be positive";
  return success();
}

LogicalResult UpdateOp::verify() {
  if (!isOneOf(getAgg(),
               {"token-mean", "seq-mean-token-sum", "seq-mean-token-mean"}))
    return emitOpError() << "unknown loss aggregation \"" << getAgg() << "\"";
  if (i64(getBatch()) < 1 || i64(getMinibatch()) < 1 || i64(getMicrobatch()) < 1 ||
      i64(getEpochs()) < 1)
    return emitOpError() << "batch, minibatch, microbatch and epochs must be "
                            "at least 1";
  if (i64(getBatch()) % i64(getMinibatch()) != 0)
    return emitOpError() << "mini-batch " << i64(getMinibatch())
                         << " does not divide the batch of " << i64(getBatch());
  if (i64(getMinibatch()) % i64(getMicrobatch()) != 0)
    return emitOpError() << "micro-batch " << i64(getMicrobatch())
                         << " does not divide the mini-batch of "
                         << i64(getMinibatch());
  return success();
}

LogicalResult UpdateOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<ModelOp> model = lookupModel(*this, tables, getModelAttr());
  if (failed(model))
    return failure();
  if (model->getFrozen())
    return emitOpError() << "cannot update frozen model " << getModelAttr();
  return success();
}

//===----------------------------------------------------------------------===//
// Planning ops
//===----------------------------------------------------------------------===//

LogicalResult ReshardOp::verify() { return success(); }

LogicalResult ReshardOp::verifySymbolUses(SymbolTableCollection &tables) {
  return lookupModel(*this, tables, getModelAttr());
}

LogicalResult TransferOp::verify() {
  if (getFrom() == getTo())
    return emitOpError() << "transfers to the mesh it comes from";
  return success();
}

LogicalResult OffloadOp::verify() { return success(); }

LogicalResult OffloadOp::verifySymbolUses(SymbolTableCollection &tables) {
  return lookupModel(*this, tables, getModelAttr());
}

LogicalResult OnloadOp::verify() { return success(); }

LogicalResult OnloadOp::verifySymbolUses(SymbolTableCollection &tables) {
  return lookupModel(*this, tables, getModelAttr());
}

LogicalResult WeightSyncOp::verify() {
  if (getModelAttr() == getTargetAttr())
    return emitOpError() << "syncs a model into itself";
  return success();
}

LogicalResult WeightSyncOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (failed(lookupModel(*this, tables, getModelAttr())))
    return failure();
  return lookupModel(*this, tables, getTargetAttr());
}

} // namespace rlg::ir

#define GET_OP_CLASSES
#include "rlg/Dialect/RLG/IR/RLGOps.cpp.inc"
