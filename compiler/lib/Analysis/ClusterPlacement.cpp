// Placement with the planner's strategies: run one on the planned step's
// workload, turn its plan into placements, record its predictions.
#include "rlg/Analysis/ClusterPlacement.h"

#include "rlg/Analysis/ScheduleHints.h"
#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"
#include "rlg/Planner/Calibration.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"

#include <cctype>
#include <numeric>

using namespace mlir;

namespace rlg::analysis {

namespace {

using planner::CallKind;

bool isWordAt(const std::string &text, size_t pos, size_t length) {
  auto isWordChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  return (pos == 0 || !isWordChar(text[pos - 1])) &&
         (pos + length >= text.size() || !isWordChar(text[pos + length]));
}

/// The first position where `word` occurs as a whole word in `text`.
size_t wordPosition(const std::string &text, const std::string &word) {
  for (size_t pos = text.find(word); pos != std::string::npos;
       pos = text.find(word, pos + 1))
    if (isWordAt(text, pos, word.size()))
      return pos;
  return std::string::npos;
}

/// Where a planner failure is reported (see planForCluster).
Operation *failureAnchor(ModuleOp module, const ExtractedWorkload &extracted,
                         const std::string &error) {
  ScheduleHints hints = readScheduleHints(module);
  if (hints.op && error.find("pin") != std::string::npos)
    return hints.op;
  Operation *named = nullptr;
  size_t first = std::string::npos;
  for (ir::ModelOp model : extracted.models) {
    size_t pos = wordPosition(error, model.getSymName().str());
    if (pos < first) {
      first = pos;
      named = model;
    }
  }
  if (named)
    return named;
  if (hints.op && (!hints.pins.empty() || !hints.colocate.empty()))
    return hints.op;
  Operation *largest = module;
  int64_t most = -1;
  for (auto [index, model] : llvm::enumerate(extracted.models)) {
    int64_t count = extracted.workload.models[index].arch.parameterCount();
    if (count > most) {
      most = count;
      largest = model;
    }
  }
  return largest;
}

/// The pinned keys the planner does not decide, laid over `layout`.
ir::LayoutAttr withPins(MLIRContext *context, int64_t dp, int64_t tp,
                        int64_t pp, int64_t zero, int64_t microbatch,
                        bool checkpointing, bool offload, DictionaryAttr pin) {
  return ir::LayoutAttr::get(
      context, dp, tp, pp, pinnedInt(pin, "zero").value_or(zero),
      pinnedInt(pin, "microbatch").value_or(microbatch),
      pinnedBool(pin, "checkpointing").value_or(checkpointing),
      pinnedBool(pin, "offload").value_or(offload));
}

/// dp and tp for an op of `sequences` on `meshSize` devices that calls no
/// model: the largest dp that divides both, the rest as (replicated) tp.
std::pair<int64_t, int64_t> splitMesh(int64_t meshSize, int64_t sequences) {
  int64_t dp = sequences > 0 ? std::gcd(meshSize, sequences) : meshSize;
  return {dp, meshSize / dp};
}

/// The planner's micro-batch, or the largest below it that splits
/// `sequences` evenly over `dp` replicas (an op of another step than the
/// planned one may process fewer sequences).
int64_t fittingMicrobatch(int64_t planned, int64_t dp, int64_t sequences) {
  if (planned <= 0 || sequences <= 0 || sequences % dp != 0)
    return planned;
  int64_t microbatch = std::min(planned, sequences / dp);
  while (microbatch > 1 && (sequences / dp) % microbatch != 0)
    --microbatch;
  return microbatch;
}

class PlanPlacer {
public:
  PlanPlacer(const PlacementProblem &problem, const ClusterPlan &plan)
      : problem(problem), plan(plan), context(problem.module->getContext()) {}

  PlacementPlan run() {
    const planner::Plan &chosen = plan.result.best.plan;
    for (const planner::DeviceGroup &group : chosen.groups)
      deviceCount =
          std::max(deviceCount, group.firstDevice + group.deviceCount);
    out.deviceCount = deviceCount;
    out.deviceKind = clusterDeviceKind(plan.problem.cluster);
    std::vector<int64_t> all(deviceCount);
    std::iota(all.begin(), all.end(), 0);
    allDevices = ir::MeshAttr::get(context, all);
    // Model calls first, then the ops between them, which follow the data.
    for (Operation *op : problem.ops)
      if (ir::ModelOp model = calledModel(op))
        out.placements[op] = callPlacement(op, model);
    for (Operation *op : problem.ops)
      if (!out.placements.count(op))
        out.placements[op] = dataPlacement(op);
    return std::move(out);
  }

private:
  /// The model `op` runs: a model call's, or the first reward model an
  /// rlg.reward_apply scores with; null for other ops.
  ir::ModelOp calledModel(Operation *op) {
    ModuleOp module = problem.module;
    if (ModelCall call = getModelCall(op))
      return module.lookupSymbol<ir::ModelOp>(call.model);
    if (auto apply = llvm::dyn_cast<ir::RewardApplyOp>(op)) {
      std::vector<ir::ModelOp> models = rewardModels(module, apply.getReward());
      if (!models.empty())
        return models.front();
    }
    return nullptr;
  }

  ir::MeshAttr groupMesh(const planner::DeviceGroup &group) {
    std::vector<int64_t> ranks(group.deviceCount);
    std::iota(ranks.begin(), ranks.end(), group.firstDevice);
    return ir::MeshAttr::get(context, ranks);
  }

  ir::PlacementAttr callPlacement(Operation *op, ir::ModelOp model) {
    const planner::Plan &chosen = plan.result.best.plan;
    int index = plan.extracted.workload.findModel(model.getSymName().str());
    DictionaryAttr pin = problem.hints.pinFor(getModelCall(op));
    int64_t sequences = processedSequences(op);
    if (index < 0) {
      auto [dp, tp] = splitMesh(deviceCount, sequences);
      return ir::PlacementAttr::get(
          context, allDevices,
          withPins(context, dp, tp, 1, 0, 0, false, false, pin));
    }
    const planner::ModelLayout &layout = chosen.layouts[index];
    const planner::DeviceGroup &group = chosen.groups[chosen.groupOf(index)];
    ir::MeshAttr mesh = groupMesh(group);
    int64_t devices = group.deviceCount;
    if (llvm::isa<ir::GenerateOp>(op)) {
      int64_t tp = std::max<int64_t>(1, layout.generateTp);
      return ir::PlacementAttr::get(context, mesh,
                                    withPins(context, devices / tp, tp, 1, 0, 0,
                                             false, layout.offload, pin));
    }
    const planner::TrainLayout &train = layout.train;
    bool trainable = plan.extracted.workload.models[index].trainable;
    int64_t tp = std::max<int64_t>(1, train.tp);
    int64_t pp = std::max<int64_t>(1, train.pp);
    int64_t dp = std::max<int64_t>(1, devices / (tp * pp));
    bool isUpdate = llvm::isa<ir::UpdateOp>(op);
    int64_t microbatch = fittingMicrobatch(train.microBatch, dp, sequences);
    // A forward pass the micro-batch does not split evenly is left to the
    // runtime.
    if (!isUpdate && microbatch != train.microBatch)
      microbatch = 0;
    return ir::PlacementAttr::get(
        context, mesh,
        withPins(context, dp, tp, pp, trainable ? train.zero : 0, microbatch,
                 trainable && isUpdate && train.checkpointing, layout.offload,
                 pin));
  }

  /// An op that calls no model: on the mesh of its first placed input, or
  /// of the first model call that reads it.
  ir::PlacementAttr dataPlacement(Operation *op) {
    ir::MeshAttr mesh = dataMesh(op);
    auto [dp, tp] = splitMesh(static_cast<int64_t>(mesh.getDevices().size()),
                              processedSequences(op));
    return ir::PlacementAttr::get(
        context, mesh,
        ir::LayoutAttr::get(context, dp, tp, 1, 0, 0, false, false));
  }

  ir::MeshAttr dataMesh(Operation *op) {
    for (Value input : readValues(op))
      if (Operation *producer = input.getDefiningOp())
        if (auto it = out.placements.find(producer); it != out.placements.end())
          return it->second.getMesh();
    // No placed input: follow the readers (through losses) to a model call.
    llvm::SmallVector<Operation *> worklist(op->getUsers());
    llvm::DenseSet<Operation *> seen;
    while (!worklist.empty()) {
      Operation *user = worklist.front();
      worklist.erase(worklist.begin());
      if (!seen.insert(user).second)
        continue;
      if (calledModel(user))
        if (auto it = out.placements.find(user); it != out.placements.end())
          return it->second.getMesh();
      llvm::append_range(worklist, user->getUsers());
    }
    const planner::Plan &chosen = plan.result.best.plan;
    return chosen.groups.empty() ? allDevices : groupMesh(chosen.groups[0]);
  }

  const PlacementProblem &problem;
  const ClusterPlan &plan;
  MLIRContext *context;
  PlacementPlan out;
  int64_t deviceCount = 1;
  ir::MeshAttr allDevices;
};

/// Reports each pin of pp > 1: the runtime runs no pipeline stages, so a
/// schedule must not have them.
LogicalResult checkNoPipelinePins(ModuleOp module) {
  ScheduleHints hints = readScheduleHints(module);
  bool ok = true;
  for (auto [key, pin] : hints.pins) {
    int64_t pp = pinnedInt(pin, "pp").value_or(1);
    if (pp <= 1)
      continue;
    ok = false;
    InFlightDiagnostic diag =
        hints.op->emitError()
        << "schedule pins " << key << " { pp = " << pp
        << " }, but the runtime does not run pipeline stages (pp > 1) yet";
    diag.attachNote() << "remove `pp = " << pp << "` from " << key
                      << " (the planner then uses tensor and data "
                         "parallelism), or size a pipelined plan with `rlg "
                         "plan --allow-pipeline`, whose schedule does not run";
  }
  return success(ok);
}

} // namespace

std::string clusterDeviceKind(const ClusterSpec &cluster) {
  std::string name = cluster.device.name;
  for (char &c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name == "cpu" ? "cpu" : "cuda";
}

FailureOr<planner::PlanProblem>
buildPlanProblem(ModuleOp module, const ClusterPlanOptions &options,
                 ExtractedWorkload &extracted) {
  if (!options.allowPipeline && failed(checkNoPipelinePins(module)))
    return failure();
  FailureOr<ExtractedWorkload> workload =
      extractWorkload(module, options.settings);
  if (failed(workload))
    return failure();
  extracted = std::move(*workload);
  planner::PlanProblem problem;
  problem.workload = extracted.workload;
  problem.cluster = options.cluster;
  problem.efficiency = options.efficiency;
  problem.maxPipelineStages = options.allowPipeline ? 0 : 1;
  if (extracted.iterations > 0)
    problem.iterations = static_cast<int>(extracted.iterations);
  return problem;
}

FailureOr<ClusterPlan> planForCluster(ModuleOp module,
                                      const ClusterPlanOptions &options) {
  ClusterPlan plan;
  FailureOr<planner::PlanProblem> problem =
      buildPlanProblem(module, options, plan.extracted);
  if (failed(problem))
    return failure();
  plan.problem = std::move(*problem);
  plan.result = planner::runStrategy(options.strategy, plan.problem);
  if (plan.result.found)
    return plan;
  std::string error = plan.result.error.empty() ? "the " + options.strategy +
                                                      " strategy found no plan"
                                                : plan.result.error;
  Operation *anchor = failureAnchor(module, plan.extracted, error);
  InFlightDiagnostic diag =
      anchor->emitError() << options.strategy << " strategy on "
                          << describeCluster(options.cluster) << ": " << error;
  if (!plan.result.hint.empty())
    diag.attachNote() << plan.result.hint;
  return failure();
}

PlacementPlan placementFromPlan(const PlacementProblem &problem,
                                const ClusterPlan &plan) {
  return PlanPlacer(problem, plan).run();
}

void recordPredictions(ModuleOp module, const ClusterPlan &plan) {
  Builder builder(module.getContext());
  const planner::Evaluation &evaluation = plan.result.best.evaluation;
  const planner::Plan &chosen = plan.result.best.plan;
  llvm::DenseMap<Operation *, double> seconds;
  for (auto [index, op] : llvm::enumerate(plan.extracted.calls))
    if (index < evaluation.calls.size())
      seconds[op] += evaluation.calls[index].seconds;
  for (auto [op, time] : seconds)
    op->setAttr(ir::RLGDialect::kPredictionsAttrName,
                builder.getDictionaryAttr(builder.getNamedAttr(
                    "time_s", builder.getF64FloatAttr(time))));
  plan.extracted.step->setAttr(
      ir::RLGDialect::kPredictionsAttrName,
      builder.getDictionaryAttr(
          {builder.getNamedAttr(
               "step_time_s", builder.getF64FloatAttr(evaluation.stepSeconds)),
           builder.getNamedAttr(
               "tokens_per_s",
               builder.getF64FloatAttr(evaluation.tokensPerSecond))}));
  // Peak bytes per device and phase: each group's phases on its devices.
  std::map<int64_t, std::map<std::string, int64_t>> memory;
  for (const planner::PhaseMemory &phase : evaluation.memory) {
    if (phase.group < 0 ||
        phase.group >= static_cast<int>(chosen.groups.size()))
      continue;
    const planner::DeviceGroup &group = chosen.groups[phase.group];
    for (int64_t rank = group.firstDevice;
         rank < group.firstDevice + group.deviceCount; ++rank) {
      int64_t &bytes = memory[rank][phase.phase];
      bytes = std::max(bytes, static_cast<int64_t>(phase.ledger.total()));
    }
  }
  llvm::SmallVector<NamedAttribute> ranks;
  for (auto &[rank, phases] : memory) {
    llvm::SmallVector<NamedAttribute> entries;
    for (auto &[phase, bytes] : phases)
      entries.push_back(
          builder.getNamedAttr(phase, builder.getI64IntegerAttr(bytes)));
    ranks.push_back(builder.getNamedAttr(std::to_string(rank),
                                         builder.getDictionaryAttr(entries)));
  }
  module->setAttr(
      ir::RLGDialect::kPredictionsAttrName,
      builder.getDictionaryAttr(
          {builder.getNamedAttr("strategy",
                                builder.getStringAttr(chosen.strategy)),
           builder.getNamedAttr(
               "cluster", builder.getStringAttr(plan.problem.cluster.name)),
           builder.getNamedAttr("memory_bytes",
                                builder.getDictionaryAttr(ranks))}));
}

LogicalResult planOnCluster(const PlacementProblem &problem,
                            const PlacementOptions &options,
                            PlacementPlan &placement) {
  ModuleOp module = problem.module;
  if (options.clusterFile.empty()) {
    InFlightDiagnostic diag =
        module.emitError() << "the " << options.strategy
                           << " strategy plans for a cluster, and no cluster "
                              "file is given";
    diag.attachNote() << "use `rlg plan FILE.rlg --cluster C.toml --strategy "
                      << options.strategy
                      << "`, or rlg-place{strategy=" << options.strategy
                      << " cluster=C.toml}";
    return failure();
  }
  ClusterPlanOptions planOptions;
  planOptions.strategy = options.strategy;
  planOptions.settings = options.settings;
  planOptions.allowPipeline = options.allowPipeline;
  std::vector<ClusterError> errors;
  if (!readClusterFile(options.clusterFile, planOptions.cluster, errors)) {
    InFlightDiagnostic diag = module.emitError() << "cannot use cluster file "
                                                 << options.clusterFile << ":";
    for (const ClusterError &error : errors)
      diag << " " << error.line << ":" << error.column << ": " << error.message
           << ";";
    diag.attachNote() << "`rlg validate " << options.clusterFile
                      << "` shows each problem with its hint";
    return failure();
  }
  if (!options.calibrationFile.empty()) {
    std::vector<planner::CalibrationError> calibrationErrors;
    if (!planner::readCalibrationFile(options.calibrationFile,
                                      planOptions.efficiency,
                                      calibrationErrors)) {
      InFlightDiagnostic diag = module.emitError()
                                << "cannot use calibration file "
                                << options.calibrationFile << ":";
      for (const planner::CalibrationError &error : calibrationErrors)
        diag << " " << planner::formatCalibrationError(error) << ";";
      return failure();
    }
  }
  FailureOr<ClusterPlan> plan = planForCluster(module, planOptions);
  if (failed(plan))
    return failure();
  placement = placementFromPlan(problem, *plan);
  recordPredictions(module, *plan);
  return success();
}

} // namespace rlg::analysis
