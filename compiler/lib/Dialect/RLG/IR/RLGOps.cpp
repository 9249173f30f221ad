// Verifiers of the rlg dialect's ops: the invariants the front end relies on.
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>
#include <cmath>

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

/// An integer or float attribute's value, for settings that take either.
std::optional<double> numberOf(Attribute attr) {
  if (auto f = llvm::dyn_cast_or_null<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto i = llvm::dyn_cast_or_null<IntegerAttr>(attr))
    if (!i.getType().isInteger(1))
      return static_cast<double>(i.getInt());
  return std::nullopt;
}

/// An integer attribute that is not a bool.
IntegerAttr integerOf(Attribute attr) {
  auto i = llvm::dyn_cast_or_null<IntegerAttr>(attr);
  return i && !i.getType().isInteger(1) ? i : nullptr;
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

//===----------------------------------------------------------------------===//
// Where values come from
//===----------------------------------------------------------------------===//
//
// The front end tracks which node computed a score (its producer) and which
// rollouts or data batch it was computed on (its origin). The helpers below
// read both back from the IR. They look through rlg.transfer, which moves a
// value between meshes unchanged, and they answer "unknown" for values that
// no rlg node computed (block arguments, ops that passes insert), so that
// checks built on them only reject what they can see is wrong. Every walk
// keeps a visited set: the verifiers of one op may run before the dominance
// of its operands is checked, so use-def chains may loop.

Value throughTransfers(Value value) {
  llvm::SmallPtrSet<Operation *, 4> seen;
  while (auto transfer = value.getDefiningOp<TransferOp>()) {
    if (!seen.insert(transfer).second)
      break;
    value = transfer.getInput();
  }
  return value;
}

/// The node that computed the numbers of `scores` ("rlg.logprob",
/// "rlg.value", ...), through rlg.scale and through rlg.add when both sides
/// agree; "combined" when an add mixes producers; empty when unknown.
std::string producerOf(Value scores) {
  SmallVector<Value> work{scores};
  llvm::DenseSet<Value> seen;
  std::string found;
  while (!work.empty()) {
    Value value = throughTransfers(work.pop_back_val());
    if (!seen.insert(value).second)
      continue;
    Operation *op = value.getDefiningOp();
    if (auto scale = llvm::dyn_cast_or_null<ScaleOp>(op)) {
      work.push_back(scale.getInput());
      continue;
    }
    if (auto add = llvm::dyn_cast_or_null<AddOp>(op)) {
      work.push_back(add.getLhs());
      work.push_back(add.getRhs());
      continue;
    }
    if (!op || !llvm::isa<LogprobOp, ValueOp, ScoreOp, RewardApplyOp, KlOp,
                          AdvantageOp, ReturnsOp>(op))
      return "";
    std::string name = op->getName().getStringRef().str();
    found = found.empty() || found == name ? name : "combined";
  }
  return found;
}

/// An error unless `value` may have been computed by `want`.
LogicalResult expectProducer(Operation *op, Value value, StringRef operand,
                             StringRef want, StringRef what) {
  std::string producer = producerOf(value);
  if (producer.empty() || producer == want)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "'" << operand << "' must be " << what
                            << " from " << want << ", got ";
  if (producer == "combined")
    diag << "a combination of scores";
  else
    diag << "scores from " << producer;
  return diag;
}

/// The rollouts (of rlg.generate or rlg.filter_dynamic) or the data batch
/// (of rlg.batch) that `value` was computed from; null when unknown.
Value originOf(Value value) {
  llvm::DenseSet<Value> seen;
  while (value && seen.insert(value).second) {
    value = throughTransfers(value);
    Operation *op = value.getDefiningOp();
    if (!op)
      return nullptr;
    if (llvm::isa<GenerateOp, FilterDynamicOp, BatchOp>(op))
      return value;
    value =
        llvm::TypeSwitch<Operation *, Value>(op)
            .Case([](LogprobOp node) { return node.getInput(); })
            .Case([](ValueOp node) { return node.getRollouts(); })
            .Case([](ScoreOp node) { return node.getRollouts(); })
            .Case([](RewardApplyOp node) { return node.getRollouts(); })
            .Case([](KlOp node) { return node.getLp(); })
            .Case([](ScaleOp node) { return node.getInput(); })
            .Case([](AddOp node) { return node.getLhs(); })
            .Case([](ReturnsOp node) { return node.getAdvantages(); })
            .Case([](AdvantageOp node) {
              return node.getInputs().empty() ? Value() : node.getInputs()[0];
            })
            .Default([](Operation *) { return Value(); });
  }
  return nullptr;
}

/// An error when `a` and `b` are known to be computed on different rollouts
/// or batches.
LogicalResult expectSameOrigin(Operation *op, Value a, Value b,
                               StringRef what) {
  Value originA = originOf(a), originB = originOf(b);
  if (!originA || !originB || originA == originB)
    return success();
  return op->emitOpError() << what
                           << " are computed on different rollouts or batches";
}

/// The prompts a rollouts value answers: those of its rlg.generate, through
/// rlg.filter_dynamic; null when unknown.
Value promptsOf(Value rollouts) {
  llvm::DenseSet<Value> seen;
  while (rollouts && seen.insert(rollouts).second) {
    rollouts = throughTransfers(rollouts);
    if (auto generate = rollouts.getDefiningOp<GenerateOp>())
      return throughTransfers(generate.getPrompts());
    auto filter = rollouts.getDefiningOp<FilterDynamicOp>();
    rollouts = filter ? filter.getRollouts() : Value();
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// The loss terms a loss adds up, through rlg.loss_add and rlg.loss_scale;
/// false when some part of it was not computed by a known loss op.
bool collectLossTerms(Value loss, SmallVectorImpl<Operation *> &terms) {
  SmallVector<Value> work{loss};
  llvm::DenseSet<Value> seen;
  bool known = true;
  while (!work.empty()) {
    Value value = throughTransfers(work.pop_back_val());
    if (!seen.insert(value).second)
      continue;
    Operation *op = value.getDefiningOp();
    if (auto add = llvm::dyn_cast_or_null<LossAddOp>(op)) {
      work.push_back(add.getRhs());
      work.push_back(add.getLhs());
    } else if (auto scale = llvm::dyn_cast_or_null<LossScaleOp>(op)) {
      work.push_back(scale.getInput());
    } else if (op &&
               llvm::isa<PpoClipLossOp, KlLossOp, EntropyLossOp, ValueLossOp,
                         PreferenceLossOp, SftLossOp, BradleyTerryLossOp>(op)) {
      terms.push_back(op);
    } else {
      known = false;
    }
  }
  return known;
}

/// The operand through which a loss term reads its batch; null for
/// rlg.entropy_loss, which reads the batch of the terms beside it.
Value termBatch(Operation *term) {
  return llvm::TypeSwitch<Operation *, Value>(term)
      .Case([](PpoClipLossOp op) { return op.getOldLp(); })
      .Case([](KlLossOp op) { return op.getRefLp(); })
      .Case([](ValueLossOp op) { return op.getOldValues(); })
      .Case([](PreferenceLossOp op) { return op.getRefLp(); })
      .Case([](SftLossOp op) { return op.getDemos(); })
      .Case([](BradleyTerryLossOp op) { return op.getPairs(); })
      .Default([](Operation *) { return Value(); });
}

/// The role of the model a loss term trains.
StringRef termRole(Operation *term) {
  if (llvm::isa<ValueLossOp>(term))
    return "value";
  if (llvm::isa<BradleyTerryLossOp>(term))
    return "reward";
  return "policy";
}

/// The batch a loss reads: the operand of its first term that has one; null
/// when no known term has one.
Value lossBatch(Value loss) {
  SmallVector<Operation *> terms;
  collectLossTerms(loss, terms);
  for (Operation *term : terms)
    if (Value batch = termBatch(term))
      return batch;
  return nullptr;
}

/// The model a score was computed with, when it comes straight from a model
/// call of kind `Call`.
template <typename Call> FlatSymbolRefAttr modelOf(Value scores) {
  auto call = throughTransfers(scores).getDefiningOp<Call>();
  return call ? call.getModelAttr() : nullptr;
}

} // namespace

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

LogicalResult ModelOp::verify() {
  if (!isOneOf(getRole(), {"policy", "value", "reward"}))
    return emitOpError() << "role must be policy, value or reward, got \""
                         << getRole() << "\"";
  for (auto [name, value] : {std::pair{"layers", i64(getLayers())},
                             {"hidden", i64(getHidden())},
                             {"ffn", i64(getFfn())},
                             {"heads", i64(getHeads())},
                             {"kv_heads", i64(getKvHeads())},
                             {"vocab", i64(getVocab())}})
    if (value < 1)
      return emitOpError() << name << " must be at least 1, got " << value;
  if (i64(getHidden()) % i64(getHeads()) != 0)
    return emitOpError() << "hidden size " << i64(getHidden())
                         << " is not divisible by " << i64(getHeads())
                         << " heads";
  if (i64(getHeads()) % i64(getKvHeads()) != 0)
    return emitOpError() << i64(getHeads()) << " heads are not divisible by "
                         << i64(getKvHeads()) << " key/value heads";
  if (getFrozen() != getSource().has_value())
    return emitOpError() << (getFrozen() ? "a frozen model needs a source"
                                         : "only a frozen model has a source");
  if (getFrozen() && getOptimizer())
    return emitOpError() << "a frozen model has no optimizer";
  if (!getOptimizer())
    return success();
  for (NamedAttribute setting : getOptimizerAttr()) {
    StringRef key = setting.getName().getValue();
    Attribute value = setting.getValue();
    std::optional<double> number = numberOf(value);
    if (key == "kind") {
      auto kind = llvm::dyn_cast<StringAttr>(value);
      if (!kind || kind.getValue() != "adamw")
        return emitOpError()
               << "optimizer 'kind' must be \"adamw\", got " << value;
    } else if (key == "lr") {
      if (!number || !(*number > 0) || !std::isfinite(*number))
        return emitOpError()
               << "optimizer 'lr' must be a positive number, got " << value;
    } else if (key == "weight_decay" || key == "grad_clip") {
      // A grad_clip of 0 turns clipping off.
      if (!number || !(*number >= 0) || !std::isfinite(*number))
        return emitOpError()
               << "optimizer '" << key
               << "' must be a number of at least 0, got " << value;
    } else if (key == "warmup") {
      IntegerAttr steps = integerOf(value);
      if (!steps || steps.getInt() < 0)
        return emitOpError() << "optimizer 'warmup' must be a whole number of "
                                "steps, at least 0, got "
                             << value;
    } else if (key == "lr_schedule") {
      auto schedule = llvm::dyn_cast<StringAttr>(value);
      if (!schedule ||
          !isOneOf(schedule.getValue(), {"constant", "cosine", "linear"}))
        return emitOpError() << "optimizer 'lr_schedule' must be \"constant\", "
                                "\"cosine\" or \"linear\", got "
                             << value;
    } else {
      return emitOpError() << "unknown optimizer setting '" << key << "'";
    }
  }
  return success();
}

LogicalResult ModelOp::verifySymbolUses(SymbolTableCollection &tables) {
  for (auto [ref, what] : {std::pair{getSourceAttr(), "source"},
                           std::pair{getInitFromAttr(), "init_from"}}) {
    if (!ref)
      continue;
    if (ref.getAttr() == getSymNameAttr())
      return emitOpError() << what << " names the model itself";
    if (failed(lookupModel(*this, tables, ref)))
      return failure();
  }
  if (auto source = getSourceAttr()) {
    auto model = tables.lookupNearestSymbolFrom<ModelOp>(*this, source);
    if (model.getRole() != getRole())
      return emitOpError() << "a frozen copy has the role of its source, but "
                           << source << " is a " << model.getRole()
                           << " model and this one is a " << getRole()
                           << " model";
  }
  // Weights pass along source and init_from; the chain must end.
  llvm::SmallPtrSet<Operation *, 8> seen{getOperation()};
  std::string path = "@" + getSymName().str();
  for (ModelOp model = *this;;) {
    FlatSymbolRefAttr next =
        model.getSourceAttr() ? model.getSourceAttr() : model.getInitFromAttr();
    if (!next)
      return success();
    model = tables.lookupNearestSymbolFrom<ModelOp>(*this, next);
    if (!model)
      return success(); // That model reports the unknown name.
    path += " -> @" + model.getSymName().str();
    if (model == *this)
      return emitOpError() << "takes its weights from itself: " << path;
    if (!seen.insert(model).second)
      return success(); // A cycle further on, reported by its members.
  }
}

LogicalResult DataOp::verify() {
  StringRef kind = getKind(), source = getSource();
  if (!isOneOf(kind, {"prompts", "pairs", "demos", "labeled"}))
    return emitOpError() << "kind must be prompts, pairs, demos or labeled, "
                            "got \""
                         << kind << "\"";
  if (!isOneOf(source, {"jsonl", "task.arith", "task.sort", "task.reverse"}))
    return emitOpError() << "source must be jsonl, task.arith, task.sort or "
                            "task.reverse, got \""
                         << source << "\"";
  if (getAnswers() && kind != "prompts")
    return emitOpError() << "only prompts have answers, but the kind is \""
                         << kind << "\"";
  DictionaryAttr args = getArgs();
  if (source == "jsonl") {
    if (!args.getAs<StringAttr>("path"))
      return emitOpError() << "a jsonl source needs a string 'path' in args";
    return success();
  }
  if (kind != "prompts")
    return emitOpError() << "a task gives prompts, not " << kind;
  for (NamedAttribute arg : args) {
    StringRef name = arg.getName().getValue();
    if (name == "split") {
      auto split = llvm::dyn_cast<StringAttr>(arg.getValue());
      if (!split || !isOneOf(split.getValue(), {"train", "test"}))
        return emitOpError()
               << "split must be \"train\" or \"test\", got " << arg.getValue();
    } else if (isOneOf(name, {"digits", "length", "size"})) {
      IntegerAttr count = integerOf(arg.getValue());
      if (!count || count.getInt() < 1)
        return emitOpError()
               << "'" << name << "' must be at least 1, got " << arg.getValue();
    } else if (name == "seed") {
      IntegerAttr seed = integerOf(arg.getValue());
      if (!seed || seed.getInt() < 0)
        return emitOpError()
               << "'seed' must be at least 0, got " << arg.getValue();
    } else if (name == "ops") {
      auto ops = llvm::dyn_cast<StringAttr>(arg.getValue());
      if (!ops || ops.getValue().empty() ||
          ops.getValue().find_first_not_of("+-*") != StringRef::npos)
        return emitOpError() << "'ops' must be a non-empty string of +, - "
                                "and *, got "
                             << arg.getValue();
    }
  }
  return success();
}

LogicalResult RewardOp::verify() {
  StringRef kind = getKind();
  if (kind == "rule") {
    if (!getRule())
      return emitOpError() << "a rule reward needs 'rule'";
    StringRef rule = *getRule();
    if (!isOneOf(rule, {"exact_match", "math_answer", "format",
                        "length_penalty", "overlong"}))
      return emitOpError() << "unknown rule \"" << rule << "\"";
    DictionaryAttr args = getArgsAttr();
    auto arg = [&](StringRef name) {
      return args ? args.get(name) : Attribute();
    };
    if (rule == "format" && !llvm::isa_and_nonnull<StringAttr>(arg("pattern")))
      return emitOpError() << "rule format needs a string 'pattern' argument";
    if (rule == "length_penalty") {
      if (Attribute target = arg("target")) {
        IntegerAttr tokens = integerOf(target);
        if (!tokens || tokens.getInt() < 1)
          return emitOpError() << "length_penalty 'target' must be at least "
                                  "1, got "
                               << target;
      }
      if (Attribute weight = arg("weight")) {
        std::optional<double> number = numberOf(weight);
        if (!number || !(*number >= 0) || !std::isfinite(*number))
          return emitOpError() << "length_penalty 'weight' must not be "
                                  "negative, got "
                               << weight;
      }
    }
    if (rule == "overlong") {
      IntegerAttr max = integerOf(arg("max")),
                  buffer = integerOf(arg("buffer"));
      if ((arg("max") && !max) || (arg("buffer") && !buffer))
        return emitOpError() << "overlong 'max' and 'buffer' are token counts";
      int64_t maxTokens = max ? max.getInt() : 20;
      int64_t bufferTokens = buffer ? buffer.getInt() : 4;
      if (bufferTokens <= 0 || bufferTokens >= maxTokens)
        return emitOpError() << "overlong needs 0 < buffer < max, got buffer "
                                "= "
                             << bufferTokens << ", max = " << maxTokens;
    }
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
    for (Attribute weight : getWeightsAttr())
      if (!std::isfinite(llvm::cast<FloatAttr>(weight).getValueAsDouble()))
        return emitOpError()
               << "weights must be finite numbers, got " << weight;
    return success();
  }
  return emitOpError() << "kind must be rule, model or sum, got \"" << kind
                       << "\"";
}

LogicalResult RewardOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (getKind() == "model" && getModelAttr())
    return expectRole(*this, tables, getModelAttr(), "reward");
  if (getKind() != "sum" || !getTerms())
    return success();
  for (Attribute term : getTermsAttr()) {
    auto name = llvm::cast<FlatSymbolRefAttr>(term);
    if (!tables.lookupNearestSymbolFrom<RewardOp>(*this, name))
      return emitOpError() << "term " << name << " is not a reward";
  }
  // Sums refer to other rewards; none may refer back to this one.
  SmallVector<std::pair<RewardOp, std::string>> work{
      {*this, "@" + getSymName().str()}};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    auto [reward, path] = work.pop_back_val();
    if (!seen.insert(reward).second || !reward.getTerms())
      continue;
    for (Attribute term : reward.getTermsAttr()) {
      auto next = tables.lookupNearestSymbolFrom<RewardOp>(
          *this, llvm::cast<FlatSymbolRefAttr>(term));
      if (!next)
        continue;
      std::string nextPath = path + " -> @" + next.getSymName().str();
      if (next == *this)
        return emitOpError() << "refers to itself: " << nextPath;
      work.push_back({next, nextPath});
    }
  }
  return success();
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
  }
  if (i64(getSeed()) < 0)
    return emitOpError() << "seed must not be negative, got " << i64(getSeed());
  if (std::optional<DictionaryAttr> checkpoint = getCheckpoint()) {
    IntegerAttr every = integerOf(checkpoint->get("every"));
    Attribute dir = checkpoint->get("dir");
    if (!every || (dir && !llvm::isa<StringAttr>(dir)) ||
        checkpoint->size() != (dir ? 2u : 1u))
      return emitOpError() << "checkpoint is {every = N, dir = \"path\"}";
    if (every.getInt() < 1)
      return emitOpError() << "checkpoint 'every' must be at least 1, got "
                           << every.getInt();
  }
  return success();
}

LogicalResult RunOp::verifySymbolUses(SymbolTableCollection &tables) {
  for (Attribute stage : getStages()) {
    auto step =
        llvm::cast<DictionaryAttr>(stage).getAs<FlatSymbolRefAttr>("step");
    if (!tables.lookupNearestSymbolFrom<StepOp>(*this, step))
      return emitOpError() << "stage names " << step << ", which is not a step";
  }
  return success();
}

LogicalResult EvalOp::verify() {
  if (i64(getEvery()) < 1)
    return emitOpError() << "'every' must be at least 1, got "
                         << i64(getEvery());
  if (i64(getK()) < 1)
    return emitOpError() << "'k' must be at least 1, got " << i64(getK());
  double temperature = getTemperature().convertToDouble();
  if (!(temperature >= 0) || !std::isfinite(temperature))
    return emitOpError() << "temperature must be a number of at least 0, got "
                         << temperature;
  if (getMaxTokens() && i64(*getMaxTokens()) < 1)
    return emitOpError() << "max_tokens must be at least 1, got "
                         << i64(*getMaxTokens());
  return success();
}

LogicalResult EvalOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto data = tables.lookupNearestSymbolFrom<DataOp>(*this, getDataAttr());
  if (!data)
    return emitOpError() << "names " << getDataAttr()
                         << ", which is not a data source";
  if (data.getKind() != "prompts" || !data.getAnswers())
    return emitOpError() << "needs prompts with answers, but " << getDataAttr()
                         << " has "
                         << (data.getKind() == "prompts"
                                 ? StringRef("no answers")
                                 : data.getKind());
  auto model = tables.lookupNearestSymbolFrom<ModelOp>(*this, getModelAttr());
  if (!model || model.getRole() != "policy")
    return emitOpError() << "evaluates " << getModelAttr()
                         << ", which is not a policy model";
  return success();
}

namespace {
/// Whether `model` makes calls of kind `call`.
bool makesCall(ModelOp model, StringRef call) {
  if (call == "update")
    return !model.getFrozen();
  if (call == "generate" || call == "logprob")
    return model.getRole() == "policy";
  return model.getRole() == (call == "value" ? "value" : "reward");
}
} // namespace

LogicalResult HintsOp::verify() {
  llvm::DenseSet<Attribute> colocated;
  for (Attribute group : getColocate()) {
    auto models = llvm::dyn_cast<ArrayAttr>(group);
    if (!models || !llvm::all_of(models, [](Attribute model) {
          return llvm::isa<FlatSymbolRefAttr>(model);
        }))
      return emitOpError() << "colocate is a list of groups of models, as in "
                              "[[@actor, @ref]], got "
                           << group;
    if (models.size() < 2)
      return emitOpError() << "a colocate group needs at least two models, "
                              "got "
                           << group;
    for (Attribute model : models)
      if (!colocated.insert(model).second)
        return emitOpError() << "model " << model << " is colocated twice";
  }
  for (NamedAttribute layout : getLayouts()) {
    StringRef key = layout.getName().getValue();
    auto [model, call] = key.rsplit('.');
    if (model.empty() ||
        !isOneOf(call, {"generate", "logprob", "value", "score", "update"}))
      return emitOpError() << "layout key \"" << key
                           << "\" must be MODEL.CALL with CALL one of "
                              "generate, logprob, value, score, update";
    auto settings = llvm::dyn_cast<DictionaryAttr>(layout.getValue());
    if (!settings)
      return emitOpError() << "the layout of \"" << key
                           << "\" must be a dictionary, got "
                           << layout.getValue();
    for (NamedAttribute setting : settings) {
      StringRef name = setting.getName().getValue();
      Attribute value = setting.getValue();
      if (isOneOf(name, {"offload", "checkpointing"})) {
        if (!llvm::isa<BoolAttr>(value))
          return emitOpError() << "'" << name << "' of \"" << key
                               << "\" must be true or false, got " << value;
        continue;
      }
      if (!isOneOf(name, {"dp", "tp", "pp", "zero", "microbatch"}))
        return emitOpError() << "unknown layout setting '" << name << "' in \""
                             << key << "\"";
      IntegerAttr number = integerOf(value);
      int64_t low = name == "zero" ? 0 : 1;
      int64_t high = name == "zero"         ? 3
                     : name == "microbatch" ? 1 << 20
                                            : 1 << 16;
      if (!number || number.getInt() < low || number.getInt() > high)
        return emitOpError() << "'" << name << "' of \"" << key
                             << "\" must be an integer from " << low << " to "
                             << high << ", got " << value;
    }
  }
  DictionaryAttr overlap = getOverlap();
  StringRef mode = "none";
  if (Attribute modeAttr = overlap.get("mode")) {
    auto text = llvm::dyn_cast<StringAttr>(modeAttr);
    if (!text || !isOneOf(text.getValue(), {"none", "off_policy", "stream"}))
      return emitOpError() << "overlap mode must be \"none\", \"off_policy\" "
                              "or \"stream\", got "
                           << modeAttr;
    mode = text.getValue();
  }
  for (NamedAttribute setting : overlap) {
    StringRef name = setting.getName().getValue();
    if (name == "mode")
      continue;
    StringRef owner = name == "staleness" ? "off_policy"
                      : name == "chunks"  ? "stream"
                                          : "";
    if (owner != mode)
      return emitOpError() << "overlap mode \"" << mode << "\" takes no '"
                           << name << "'";
    IntegerAttr number = integerOf(setting.getValue());
    int64_t high = name == "staleness" ? 64 : 4096;
    if (!number || number.getInt() < 1 || number.getInt() > high)
      return emitOpError() << "overlap '" << name
                           << "' must be an integer from 1 to " << high
                           << ", got " << setting.getValue();
  }
  return success();
}

LogicalResult HintsOp::verifySymbolUses(SymbolTableCollection &tables) {
  for (Attribute group : getColocate())
    for (Attribute model : llvm::cast<ArrayAttr>(group))
      if (failed(
              lookupModel(*this, tables, llvm::cast<FlatSymbolRefAttr>(model))))
        return failure();
  for (NamedAttribute layout : getLayouts()) {
    StringRef key = layout.getName().getValue();
    auto [name, call] = key.rsplit('.');
    auto ref = FlatSymbolRefAttr::get(getContext(), name);
    FailureOr<ModelOp> model = lookupModel(*this, tables, ref);
    if (failed(model))
      return failure();
    if (!makesCall(*model, call))
      return emitOpError() << "sets the layout of \"" << key << "\", but "
                           << ref << " ("
                           << (model->getFrozen() ? "frozen " : "")
                           << model->getRole() << " model) makes no '" << call
                           << "' calls";
  }
  return success();
}

LogicalResult StepOp::verify() {
  llvm::DenseMap<Attribute, UpdateOp> updates;
  for (auto update : getBodyBlock().getOps<UpdateOp>()) {
    auto [it, inserted] = updates.try_emplace(update.getModelAttr(), update);
    if (!inserted)
      return update.emitOpError()
             << "updates " << update.getModelAttr()
             << " a second time in step @" << getSymName()
             << "; a model is updated at most once per step";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Step nodes
//===----------------------------------------------------------------------===//

LogicalResult BatchOp::verify() {
  int64_t batch = 0, samples = 0;
  getBatchShape(getType(), batch, samples);
  if (batch != i64(getSize()))
    return emitOpError() << "draws " << i64(getSize())
                         << " items but its type has " << batch;
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
  bool ok =
      (llvm::isa<RolloutsType>(input) && llvm::isa<TokenScoresType>(result)) ||
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
  // lp, ref_lp and the result have one type (AllTypesMatch).
  if (failed(
          expectProducer(*this, getLp(), "lp", "rlg.logprob", "log-probs")) ||
      failed(expectProducer(*this, getRefLp(), "ref_lp", "rlg.logprob",
                            "log-probs")) ||
      failed(expectSameOrigin(*this, getLp(), getRefLp(), "the log-probs")))
    return failure();
  FlatSymbolRefAttr model = modelOf<LogprobOp>(getLp());
  if (model && model == modelOf<LogprobOp>(getRefLp()))
    return emitOpError() << "both log-probs come from " << model
                         << ", so the KL is zero";
  return success();
}

LogicalResult AddOp::verify() {
  Type lhs = getLhs().getType(), rhs = getRhs().getType(), out = getType();
  if (failed(expectSameShape(*this, lhs, rhs, "operands")) ||
      failed(expectSameShape(*this, lhs, out, "operands and result")))
    return failure();
  bool seqToken =
      (llvm::isa<SeqScoresType>(lhs) && llvm::isa<TokenScoresType>(rhs)) ||
      (llvm::isa<TokenScoresType>(lhs) && llvm::isa<SeqScoresType>(rhs));
  if (seqToken && !llvm::isa<TokenScoresType>(out))
    return emitOpError() << "sequence plus token scores gives token scores";
  if (!seqToken && (lhs.getTypeID() != rhs.getTypeID() || lhs != out ||
                    llvm::isa<PairScoresType>(lhs)))
    return emitOpError() << "cannot add " << lhs << " and " << rhs << " into "
                         << out;
  return expectSameOrigin(*this, getLhs(), getRhs(), "the operands");
}

LogicalResult ScaleOp::verify() {
  double factor = getFactor().convertToDouble();
  if (!std::isfinite(factor))
    return emitOpError() << "factor must be a finite number, got " << factor;
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
  for (auto [name, given, takes] :
       {std::tuple{"gamma", getGammaAttr() != nullptr,
                   isOneOf(estimator, {"gae", "reinforce_pp"})},
        {"lam", getLamAttr() != nullptr, estimator == "gae"},
        {"std_norm", getStdNormAttr() != nullptr, estimator == "grpo"}})
    if (given && !takes)
      return emitOpError() << "'" << estimator << "' takes no '" << name << "'";
  for (auto [name, attr] :
       {std::pair{"gamma", getGammaAttr()}, {"lam", getLamAttr()}})
    if (attr && !(attr.getValueAsDouble() >= 0 && attr.getValueAsDouble() <= 1))
      return emitOpError() << name << " must be in [0, 1], got "
                           << attr.getValueAsDouble();
  Type rewards = getInputs()[0].getType();
  if (!llvm::isa<SeqScoresType, TokenScoresType>(rewards))
    return emitOpError() << "rewards must be sequence or token scores, got "
                         << rewards;
  int64_t batch = 0, samples = 0;
  getBatchShape(rewards, batch, samples);
  if (samples == 0)
    return emitOpError() << "rewards must be scores of rollouts, got "
                         << rewards;
  if (failed(
          expectSameShape(*this, rewards, getType(), "rewards and advantages")))
    return failure();
  if ((estimator == "grpo" || estimator == "rloo") && samples < 2)
    return emitOpError() << "'" << estimator
                         << "' needs at least 2 samples per prompt, got "
                         << samples;
  if (estimator == "gae") {
    Value values = getInputs()[1];
    if (!llvm::isa<TokenScoresType>(values.getType()))
      return emitOpError() << "gae's values must be token scores";
    if (failed(expectSameShape(*this, rewards, values.getType(),
                               "rewards and values")) ||
        failed(expectProducer(*this, values, "values", "rlg.value", "values")))
      return failure();
    return expectSameOrigin(*this, getInputs()[0], values,
                            "rewards and values");
  }
  if (estimator == "remax") {
    Value baselineValue = getInputs()[1];
    auto baseline = llvm::dyn_cast<SeqScoresType>(baselineValue.getType());
    if (!baseline || baseline.getSamples() != 1 || baseline.getBatch() != batch)
      return emitOpError() << "the remax baseline must be !rlg.seq_scores<"
                           << batch << " x 1>";
    Value baseOrigin = originOf(baselineValue);
    Value rewardOrigin = originOf(getInputs()[0]);
    if (!baseOrigin || !rewardOrigin)
      return success();
    auto greedy = baseOrigin.getDefiningOp<GenerateOp>();
    if (!greedy || !greedy.getGreedy())
      return emitOpError() << "the remax baseline must score the rollouts of "
                              "a greedy rlg.generate";
    if (baseOrigin == rewardOrigin)
      return emitOpError() << "the remax baseline scores the same rollouts "
                              "as the rewards";
    Value basePrompts = promptsOf(baseOrigin);
    Value rewardPrompts = promptsOf(rewardOrigin);
    if (basePrompts && rewardPrompts && basePrompts != rewardPrompts)
      return emitOpError() << "the remax baseline answers other prompts than "
                              "the rewards";
  }
  return success();
}

LogicalResult ReturnsOp::verify() {
  // The values and the result have one type (AllTypesMatch).
  if (failed(expectSameShape(*this, getAdvantages().getType(),
                             getValues().getType(), "advantages and values")) ||
      failed(
          expectProducer(*this, getValues(), "values", "rlg.value", "values")))
    return failure();
  return expectSameOrigin(*this, getAdvantages(), getValues(),
                          "advantages and values");
}

LogicalResult FilterDynamicOp::verify() {
  if (failed(expectSameShape(*this, getRollouts().getType(),
                             getRewards().getType(), "rollouts and rewards")))
    return failure();
  if (getRollouts().getType().getSamples() < 2)
    return emitOpError() << "filtering groups needs at least 2 samples per "
                            "prompt";
  // The result has the rollouts' type (AllTypesMatch): whole groups stay.
  Value origin = originOf(getRewards());
  if (origin && origin != throughTransfers(getRollouts()))
    return emitOpError() << "the rewards score other rollouts than the ones "
                            "it filters";
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
  if (!(low > 0 && low < 1))
    return emitOpError() << "clip_low must be in (0, 1), got " << low;
  if (!(high > 0) || !std::isfinite(high))
    return emitOpError() << "clip_high must be positive, got " << high;
  if (getDualClip() && !(getDualClip()->convertToDouble() > 1))
    return emitOpError() << "dual_clip must be greater than 1, got "
                         << getDualClip()->convertToDouble();
  if (failed(expectProducer(*this, getOldLp(), "old_lp", "rlg.logprob",
                            "log-probs")))
    return failure();
  return expectSameOrigin(*this, getOldLp(), getAdvantages(),
                          "old log-probs and advantages");
}

LogicalResult KlLossOp::verify() {
  if (!isOneOf(getEstimator(), {"k1", "k2", "k3"}))
    return emitOpError() << "estimator must be k1, k2 or k3, got \""
                         << getEstimator() << "\"";
  return expectProducer(*this, getRefLp(), "ref_lp", "rlg.logprob",
                        "log-probs");
}

LogicalResult ValueLossOp::verify() {
  if (getClip() && !(getClip()->convertToDouble() > 0))
    return emitOpError() << "clip must be positive, got "
                         << getClip()->convertToDouble();
  // The values and the returns have one type (AllTypesMatch).
  if (failed(expectProducer(*this, getOldValues(), "old_values", "rlg.value",
                            "values")))
    return failure();
  return expectSameOrigin(*this, getOldValues(), getReturns(),
                          "values and returns");
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
  double beta = getBeta().convertToDouble();
  if (!(beta > 0) || !std::isfinite(beta))
    return emitOpError() << "beta must be positive, got " << beta;
  for (auto [name, weight] :
       {std::pair{"desirable_weight", getDesirableWeightAttr()},
        {"undesirable_weight", getUndesirableWeightAttr()}}) {
    if (!weight)
      continue;
    if (kind != "kto")
      return emitOpError() << "'" << name << "' belongs to 'kto', not '" << kind
                           << "'";
    double value = weight.getValueAsDouble();
    if (!(value >= 0) || !std::isfinite(value))
      return emitOpError() << name << " must not be negative, got " << value;
  }
  if (failed(expectProducer(*this, getRefLp(), "ref_lp", "rlg.logprob",
                            "log-probs")))
    return failure();
  Value origin = originOf(getRefLp());
  if (kind == "kto" && origin && !llvm::isa<LabeledType>(origin.getType()))
    return emitOpError() << "'kto' needs log-probs of labeled completions, "
                            "got log-probs of "
                         << origin.getType();
  return success();
}

LogicalResult LossAddOp::verify() {
  Value lhs = lossBatch(getLhs()), rhs = lossBatch(getRhs());
  if (!lhs || !rhs)
    return success();
  int64_t lhsSequences = sequenceCount(lhs.getType());
  int64_t rhsSequences = sequenceCount(rhs.getType());
  if (lhsSequences != rhsSequences)
    return emitOpError() << "adds losses over different batches: "
                         << lhsSequences << " and " << rhsSequences
                         << " sequences";
  // Terms over rollouts must read the same rollouts. Terms over data batches
  // are only compared by size: the IR lets one loss combine, say, dpo on
  // pairs with sft on demonstrations of the same size (see ops.mlir).
  Value lhsOrigin = originOf(lhs), rhsOrigin = originOf(rhs);
  if (lhsOrigin && rhsOrigin && lhsOrigin != rhsOrigin &&
      llvm::isa<RolloutsType>(lhsOrigin.getType()) &&
      llvm::isa<RolloutsType>(rhsOrigin.getType()))
    return emitOpError() << "adds losses over two different rollouts";
  return success();
}

LogicalResult LossScaleOp::verify() {
  double factor = getFactor().convertToDouble();
  if (!std::isfinite(factor))
    return emitOpError() << "factor must be a finite number, got " << factor;
  return success();
}

LogicalResult UpdateOp::verify() {
  if (!isOneOf(getAgg(),
               {"token-mean", "seq-mean-token-sum", "seq-mean-token-mean"}))
    return emitOpError() << "unknown loss aggregation \"" << getAgg() << "\"";
  if (i64(getBatch()) < 1 || i64(getMinibatch()) < 1 ||
      i64(getMicrobatch()) < 1 || i64(getEpochs()) < 1)
    return emitOpError() << "batch, minibatch, microbatch and epochs must be "
                            "at least 1";
  if (i64(getBatch()) % i64(getMinibatch()) != 0)
    return emitOpError() << "mini-batch " << i64(getMinibatch())
                         << " does not divide the batch of " << i64(getBatch());
  if (i64(getMinibatch()) % i64(getMicrobatch()) != 0)
    return emitOpError() << "micro-batch " << i64(getMicrobatch())
                         << " does not divide the mini-batch of "
                         << i64(getMinibatch());

  SmallVector<Operation *> terms;
  bool known = collectLossTerms(getLoss(), terms);
  Value batch;
  for (Operation *term : terms)
    if ((batch = termBatch(term)))
      break;
  if (known && !batch)
    return emitOpError() << "trains on a loss that reads no batch; "
                            "rlg.entropy_loss needs a term beside it";
  if (batch && sequenceCount(batch.getType()) != i64(getBatch()))
    return emitOpError() << "batch " << i64(getBatch())
                         << " does not match the "
                         << sequenceCount(batch.getType())
                         << " sequences its loss reads";

  // Terms read scores of the model being updated (old log-probs, old
  // values) or of another model (reference log-probs).
  FlatSymbolRefAttr model = getModelAttr();
  for (Operation *term : terms) {
    FlatSymbolRefAttr own, reference;
    if (auto ppo = llvm::dyn_cast<PpoClipLossOp>(term))
      own = modelOf<LogprobOp>(ppo.getOldLp());
    else if (auto value = llvm::dyn_cast<ValueLossOp>(term))
      own = modelOf<ValueOp>(value.getOldValues());
    else if (auto kl = llvm::dyn_cast<KlLossOp>(term))
      reference = modelOf<LogprobOp>(kl.getRefLp());
    else if (auto preference = llvm::dyn_cast<PreferenceLossOp>(term))
      reference = modelOf<LogprobOp>(preference.getRefLp());
    if (own && own != model)
      return emitOpError() << "trains " << model << " with " << term->getName()
                           << " on scores of " << own
                           << "; they must come from the model being updated";
    if (reference && reference == model)
      return emitOpError() << "trains " << model << " with " << term->getName()
                           << " whose reference log-probs come from " << model
                           << " itself; use a frozen copy";
  }
  return success();
}

LogicalResult UpdateOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<ModelOp> model = lookupModel(*this, tables, getModelAttr());
  if (failed(model))
    return failure();
  if (model->getFrozen())
    return emitOpError() << "cannot update frozen model " << getModelAttr();
  SmallVector<Operation *> terms;
  collectLossTerms(getLoss(), terms);
  for (Operation *term : terms)
    if (termRole(term) != model->getRole())
      return emitOpError() << term->getName() << " trains a " << termRole(term)
                           << " model, but " << getModelAttr() << " is a "
                           << model->getRole() << " model";
  return success();
}

//===----------------------------------------------------------------------===//
// Planning ops
//===----------------------------------------------------------------------===//

LogicalResult ReshardOp::verify() {
  if (getFrom() == getTo())
    return emitOpError() << "reshards to the placement it comes from";
  return success();
}

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
  FailureOr<ModelOp> from = lookupModel(*this, tables, getModelAttr());
  if (failed(from))
    return failure();
  FailureOr<ModelOp> to = lookupModel(*this, tables, getTargetAttr());
  if (failed(to))
    return failure();
  auto shape = [](ModelOp model) {
    return std::array<uint64_t, 6>{model.getLayers(),  model.getHidden(),
                                   model.getFfn(),     model.getHeads(),
                                   model.getKvHeads(), model.getVocab()};
  };
  if (shape(*from) != shape(*to))
    return emitOpError() << "copies " << getModelAttr() << " into "
                         << getTargetAttr()
                         << ", which has a different shape (layers, hidden, "
                            "ffn, heads, kv_heads, vocab)";
  return success();
}

} // namespace rlg::ir

#define GET_OP_CLASSES
#include "rlg/Dialect/RLG/IR/RLGOps.cpp.inc"
