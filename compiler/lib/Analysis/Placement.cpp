// The placement problem, the registry of strategies, and applying a plan.
#include "rlg/Analysis/Placement.h"

#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Analysis/PlannerWorkload.h"
#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace rlg::analysis {

//===----------------------------------------------------------------------===//
// Strategies: each is one file in this folder; declare and register it here.
//===----------------------------------------------------------------------===//

LogicalResult planSingleDevice(const PlacementProblem &,
                               const PlacementOptions &, PlacementPlan &);

llvm::ArrayRef<PlacementStrategy> placementStrategies() {
  static const std::vector<PlacementStrategy> strategies = [] {
    std::vector<PlacementStrategy> list = {
        {"single-device", "every op on one device, pinned layouts kept",
         planSingleDevice},
    };
    // The planner's strategies (ClusterPlacement.cpp), by their names.
    for (const planner::StrategyInfo &info : planner::strategies())
      list.push_back({info.name, info.summary, planOnCluster,
                      /*needsCluster=*/true});
    return list;
  }();
  return strategies;
}

const PlacementStrategy *lookupPlacementStrategy(llvm::StringRef name) {
  for (const PlacementStrategy &strategy : placementStrategies())
    if (strategy.name == name)
      return &strategy;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Problem and plan
//===----------------------------------------------------------------------===//

PlacementProblem buildPlacementProblem(ModuleOp module) {
  PlacementProblem problem;
  problem.module = module;
  problem.hints = readScheduleHints(module);
  for (ir::StepOp step : module.getOps<ir::StepOp>())
    for (Operation &op : step.getBodyBlock())
      if (isPlaceable(&op))
        problem.ops.push_back(&op);
  return problem;
}

ir::PlacementAttr placementOf(Operation *op) {
  return op->getAttrOfType<ir::PlacementAttr>(
      ir::RLGDialect::kPlacementAttrName);
}

ir::MeshAttr meshOf(Value value) {
  Operation *producer = value.getDefiningOp();
  if (!producer)
    return nullptr;
  if (auto transfer = llvm::dyn_cast<ir::TransferOp>(producer))
    return transfer.getTo();
  ir::PlacementAttr placement = placementOf(producer);
  return placement ? placement.getMesh() : nullptr;
}

void applyPlacementPlan(ModuleOp module, const PlacementPlan &plan) {
  Builder builder(module.getContext());
  module->setAttr(ir::RLGDialect::kDevicesAttrName,
                  builder.getDictionaryAttr(
                      {builder.getNamedAttr("count", builder.getI64IntegerAttr(
                                                         plan.deviceCount)),
                       builder.getNamedAttr(
                           "kind", builder.getStringAttr(plan.deviceKind))}));
  for (auto [op, placement] : plan.placements)
    op->setAttr(ir::RLGDialect::kPlacementAttrName, placement);
}

LogicalResult placeModule(ModuleOp module, llvm::StringRef strategyName,
                          const PlacementOptions &options) {
  const PlacementStrategy *strategy = lookupPlacementStrategy(strategyName);
  if (!strategy) {
    InFlightDiagnostic diag = module.emitError()
                              << "unknown placement strategy \"" << strategyName
                              << "\"";
    Diagnostic &note = diag.attachNote();
    note << "known strategies:";
    for (const PlacementStrategy &known : placementStrategies())
      note << " " << known.name;
    return failure();
  }
  if (options.deviceKind != "cpu" && options.deviceKind != "cuda")
    return module.emitError()
           << "device kind must be \"cpu\" or \"cuda\", got \""
           << options.deviceKind << "\"";
  PlacementOptions resolved = options;
  resolved.strategy = strategy->name.str();
  std::vector<SettingError> errors;
  if (!parsePlanSettings(options.settingItems, modelNames(module),
                         resolved.settings, errors)) {
    for (const SettingError &error : errors)
      (module.emitError() << error.message).attachNote() << error.hint;
    return failure();
  }
  if (failed(applyPlanSettings(module, findPlannedStep(module),
                               resolved.settings)))
    return failure();
  PlacementProblem problem = buildPlacementProblem(module);
  PlacementPlan plan;
  if (failed(strategy->plan(problem, resolved, plan)))
    return failure();
  applyPlacementPlan(module, plan);
  return success();
}

} // namespace rlg::analysis
