// Reading the planner's workload from a canonical module.
#include "rlg/Analysis/PlannerWorkload.h"

#include "rlg/Analysis/ScheduleHints.h"
#include "rlg/Analysis/StepOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <map>
#include <set>

using namespace mlir;

namespace rlg::analysis {

namespace {

using planner::CallKind;

int64_t argInt(ir::DataOp data, llvm::StringRef key, int64_t fallback) {
  if (auto value = data.getArgs().getAs<IntegerAttr>(key))
    return value.getInt();
  return fallback;
}

/// Characters (the runtime's tokens) of a built-in task's prompt, and of
/// its answer; nullopt for a JSONL source.
std::optional<std::pair<int64_t, int64_t>> taskTokens(ir::DataOp data) {
  llvm::StringRef source = data.getSource();
  if (source == "task.arith") {
    int64_t digits = argInt(data, "digits", 2);
    return std::pair{2 * digits + 2, 2 * digits + 1}; // "12+34=", "-99" ...
  }
  if (source == "task.sort") {
    int64_t length = argInt(data, "length", 5);
    return std::pair{length + 6, length}; // "sort 31415="
  }
  if (source == "task.reverse") {
    int64_t length = argInt(data, "length", 6);
    return std::pair{length + 9, length}; // "reverse abcdef="
  }
  return std::nullopt;
}

/// Where a value's examples come from: the rlg.generate or rlg.batch (or
/// rlg.lookup's batch) at the head of its first-shaped-operand chain.
Operation *originOf(Value value) {
  Operation *op = value.getDefiningOp();
  while (op && !llvm::isa<ir::GenerateOp, ir::BatchOp>(op)) {
    Value next;
    int64_t batch = 0, samples = 0;
    for (Value operand : op->getOperands())
      if (ir::getBatchShape(operand.getType(), batch, samples)) {
        next = operand;
        break;
      }
    op = next ? next.getDefiningOp() : nullptr;
  }
  return op;
}

class WorkloadBuilder {
public:
  WorkloadBuilder(ModuleOp module, const PlanSettings &settings)
      : module(module), settings(settings) {}

  FailureOr<ExtractedWorkload> run() {
    out.step = findPlannedStep(module);
    if (!out.step)
      return module.emitError()
             << "the program has no step, so there is nothing to plan";
    out.iterations = settings.iterations.value_or(0);
    for (Operation &op : out.step.getBodyBlock())
      addCalls(&op);
    if (out.calls.empty())
      return out.step.emitError()
             << "step @" << out.step.getSymName()
             << " calls no model, so there is nothing to plan";
    readHints();
    return std::move(out);
  }

private:
  /// The index of `model` in the workload, added on first use.
  int modelIndex(ir::ModelOp model) {
    auto it = llvm::find(out.models, model);
    if (it != out.models.end())
      return static_cast<int>(it - out.models.begin());
    planner::ModelSpec spec;
    spec.name = model.getSymName().str();
    spec.arch.layers = model.getLayers();
    spec.arch.hidden = model.getHidden();
    spec.arch.ffn = model.getFfn();
    spec.arch.heads = model.getHeads();
    spec.arch.kvHeads = model.getKvHeads();
    spec.arch.vocab = model.getVocab();
    spec.arch.tieEmbeddings = model.getTieEmbeddings();
    out.models.push_back(model);
    out.workload.models.push_back(spec);
    return static_cast<int>(out.models.size() - 1);
  }

  /// Prompt and response tokens per sequence of a value's examples.
  std::pair<int64_t, int64_t> tokensOf(Value value) {
    Operation *origin = originOf(value);
    if (auto generate = llvm::dyn_cast_or_null<ir::GenerateOp>(origin))
      return {promptTokens(originOf(generate.getPrompts())),
              static_cast<int64_t>(generate.getMaxTokens())};
    int64_t response =
        settings.responseTokens.value_or(kDefaultDataResponseTokens);
    if (auto batch = llvm::dyn_cast_or_null<ir::BatchOp>(origin))
      if (auto data = module.lookupSymbol<ir::DataOp>(batch.getDataAttr()))
        if (auto task = taskTokens(data); task && !settings.responseTokens)
          response = task->second;
    return {promptTokens(origin), response};
  }

  int64_t promptTokens(Operation *origin) {
    if (settings.promptTokens)
      return *settings.promptTokens;
    if (auto batch = llvm::dyn_cast_or_null<ir::BatchOp>(origin))
      if (auto data = module.lookupSymbol<ir::DataOp>(batch.getDataAttr()))
        if (auto task = taskTokens(data))
          return task->first;
    return kDefaultPromptTokens;
  }

  /// Sequences a value holds: two per preference pair (chosen, rejected).
  static int64_t sequencesIn(Value value) {
    int64_t sequences = ir::sequenceCount(value.getType());
    Operation *origin = originOf(value);
    if (origin && llvm::isa<ir::PairsType>(origin->getResult(0).getType()))
      sequences *= 2;
    return sequences;
  }

  void addCall(Operation *op, ir::ModelOp model, CallKind kind, Value input,
               const std::string &id) {
    planner::CallSpec call;
    call.id = id;
    call.model = modelIndex(model);
    call.kind = kind;
    call.sequences = sequencesIn(input);
    std::tie(call.promptTokens, call.responseTokens) = tokensOf(input);
    if (auto update = llvm::dyn_cast<ir::UpdateOp>(op)) {
      int64_t perExample =
          call.sequences /
          std::max<int64_t>(1, ir::sequenceCount(input.getType()));
      call.sequences = static_cast<int64_t>(update.getBatch()) * perExample;
      call.minibatch = static_cast<int64_t>(update.getMinibatch()) * perExample;
      call.epochs = static_cast<int64_t>(update.getEpochs());
      out.workload.models[call.model].trainable = true;
    }
    // What dp must divide, as rlg-verify-placement checks it.
    call.batch = processedSequences(op);
    if (call.batch <= 0 || call.sequences % call.batch != 0)
      call.batch = call.sequences;
    call.inputs = inputCalls(op);
    callIndex[op].push_back(static_cast<int>(out.calls.size()));
    out.calls.push_back(op);
    out.workload.calls.push_back(std::move(call));
  }

  void addCalls(Operation *op) {
    ModelCall modelCall = getModelCall(op);
    if (modelCall) {
      auto model = module.lookupSymbol<ir::ModelOp>(modelCall.model);
      CallKind kind =
          llvm::TypeSwitch<Operation *, CallKind>(op)
              .Case<ir::GenerateOp>([](auto) { return CallKind::Generate; })
              .Case<ir::LogprobOp>([](auto) { return CallKind::Logprob; })
              .Case<ir::ValueOp>([](auto) { return CallKind::Value; })
              .Case<ir::ScoreOp>([](auto) { return CallKind::Score; })
              .Default([](auto) { return CallKind::Update; });
      Value input;
      if (auto generate = llvm::dyn_cast<ir::GenerateOp>(op))
        input = generate.getRollouts();
      else if (llvm::isa<ir::UpdateOp>(op))
        input = firstShapedRead(op);
      else
        input = op->getOperand(0);
      if (model && input)
        addCall(op, model, kind, input, uniqueId(op, ""));
      return;
    }
    if (auto apply = llvm::dyn_cast<ir::RewardApplyOp>(op)) {
      bool first = true;
      for (ir::ModelOp model : rewardModels(module, apply.getReward())) {
        addCall(op, model, CallKind::Score, apply.getRollouts(),
                uniqueId(op, first ? "" : "." + model.getSymName().str()));
        first = false;
      }
    }
  }

  static Value firstShapedRead(Operation *op) {
    int64_t batch = 0, samples = 0;
    for (Value value : readValues(op))
      if (ir::getBatchShape(value.getType(), batch, samples))
        return value;
    return nullptr;
  }

  /// The op's value name (its NameLoc) with `suffix`, made unique.
  std::string uniqueId(Operation *op, const std::string &suffix) {
    std::string base;
    if (auto name = llvm::dyn_cast<NameLoc>(op->getLoc()))
      base = name.getName().str();
    if (base.empty())
      base = op->getName().stripDialect().str();
    base += suffix;
    std::string id = base;
    for (int n = 2; !usedIds.insert(id).second; ++n)
      id = base + "_" + std::to_string(n);
    return id;
  }

  /// The calls whose results reach `op` through non-call ops.
  std::vector<int> inputCalls(Operation *op) {
    std::set<int> inputs;
    llvm::SmallVector<Value> worklist = readValues(op);
    llvm::DenseSet<Operation *> visited;
    while (!worklist.empty()) {
      Operation *producer = worklist.pop_back_val().getDefiningOp();
      if (!producer || !visited.insert(producer).second)
        continue;
      if (auto it = callIndex.find(producer); it != callIndex.end()) {
        inputs.insert(it->second.begin(), it->second.end());
        continue;
      }
      for (Value operand : readValues(producer))
        worklist.push_back(operand);
    }
    return {inputs.begin(), inputs.end()};
  }

  void readHints() {
    ScheduleHints hints = readScheduleHints(module);
    if (!hints.op)
      return;
    auto indexOf = [&](llvm::StringRef name) {
      return out.workload.findModel(name.str());
    };
    for (auto [key, pin] : hints.pins) {
      auto [model, call] = key.split('.');
      int index = indexOf(model);
      std::optional<CallKind> kind =
          llvm::StringSwitch<std::optional<CallKind>>(call)
              .Case("generate", CallKind::Generate)
              .Case("logprob", CallKind::Logprob)
              .Case("value", CallKind::Value)
              .Case("score", CallKind::Score)
              .Case("update", CallKind::Update)
              .Default(std::nullopt);
      if (index < 0 || !kind)
        continue;
      planner::LayoutPin layout;
      layout.model = index;
      layout.kind = *kind;
      layout.dp = pinnedInt(pin, "dp");
      layout.tp = pinnedInt(pin, "tp");
      layout.pp = pinnedInt(pin, "pp");
      layout.microBatch = pinnedInt(pin, "microbatch");
      if (std::optional<int64_t> zero = pinnedInt(pin, "zero"))
        layout.zero = static_cast<int>(*zero);
      layout.checkpointing = pinnedBool(pin, "checkpointing");
      layout.offload = pinnedBool(pin, "offload");
      out.workload.pins.push_back(layout);
    }
    for (const auto &group : hints.colocate) {
      std::vector<int> members;
      for (llvm::StringRef name : group)
        if (int index = indexOf(name); index >= 0)
          members.push_back(index);
      if (members.size() >= 2)
        out.workload.colocate.push_back(std::move(members));
    }
    DictionaryAttr overlap = llvm::cast<ir::HintsOp>(hints.op).getOverlap();
    auto mode = overlap.getAs<StringAttr>("mode");
    auto number = [&](llvm::StringRef key) -> int64_t {
      auto value = overlap.getAs<IntegerAttr>(key);
      return value ? value.getInt() : 0;
    };
    if (mode && mode.getValue() == "off_policy") {
      out.workload.overlap.kind = planner::Overlap::Kind::OffPolicy;
      out.workload.overlap.staleness = number("staleness");
    } else if (mode && mode.getValue() == "stream") {
      out.workload.overlap.kind = planner::Overlap::Kind::Stream;
      out.workload.overlap.chunks = number("chunks");
    }
  }

  ModuleOp module;
  const PlanSettings &settings;
  ExtractedWorkload out;
  llvm::DenseMap<Operation *, std::vector<int>> callIndex;
  std::set<std::string> usedIds;
};

} // namespace

ir::StepOp findPlannedStep(ModuleOp module) {
  std::map<std::string, int64_t> iterations;
  std::vector<std::string> order;
  for (auto run : module.getOps<ir::RunOp>())
    for (Attribute stage : run.getStages()) {
      auto dict = llvm::dyn_cast<DictionaryAttr>(stage);
      auto step = dict ? dict.getAs<FlatSymbolRefAttr>("step") : nullptr;
      auto steps = dict ? dict.getAs<IntegerAttr>("steps") : nullptr;
      if (!step || !steps)
        continue;
      std::string name = step.getValue().str();
      if (!iterations.count(name))
        order.push_back(name);
      iterations[name] += steps.getInt();
    }
  std::string best;
  for (const std::string &name : order)
    if (best.empty() || iterations[name] > iterations[best])
      best = name;
  if (!best.empty())
    if (auto step = module.lookupSymbol<ir::StepOp>(best))
      return step;
  auto steps = module.getOps<ir::StepOp>();
  return steps.empty() ? nullptr : *steps.begin();
}

std::vector<ir::ModelOp> rewardModels(ModuleOp module, llvm::StringRef reward) {
  std::vector<ir::ModelOp> models;
  llvm::SmallVector<llvm::StringRef> worklist{reward};
  std::set<std::string> seen;
  while (!worklist.empty()) {
    llvm::StringRef name = worklist.pop_back_val();
    auto op = module.lookupSymbol<ir::RewardOp>(name);
    if (!op || !seen.insert(name.str()).second)
      continue;
    if (auto model = op.getModelAttr()) {
      auto modelOp = module.lookupSymbol<ir::ModelOp>(model);
      if (modelOp && !llvm::is_contained(models, modelOp))
        models.push_back(modelOp);
    }
    if (auto terms = op.getTermsAttr())
      for (Attribute term : llvm::reverse(terms.getValue()))
        worklist.push_back(llvm::cast<SymbolRefAttr>(term).getLeafReference());
  }
  return models;
}

FailureOr<ExtractedWorkload> extractWorkload(ModuleOp module,
                                             const PlanSettings &settings) {
  return WorkloadBuilder(module, settings).run();
}

} // namespace rlg::analysis
