// Inserting reshards, transfers and offloads where a placement needs them.
#include "rlg/Analysis/PlanMoves.h"

#include "rlg/Analysis/Placement.h"
#include "rlg/Analysis/PlannerWorkload.h"
#include "rlg/Analysis/StepOps.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <map>

using namespace mlir;
using namespace rlg::ir;

namespace rlg::analysis {

namespace {

bool sameSharding(PlacementAttr a, PlacementAttr b) {
  return a.getMesh() == b.getMesh() &&
         a.getLayout().getTp() == b.getLayout().getTp() &&
         a.getLayout().getPp() == b.getLayout().getPp();
}

bool overlaps(MeshAttr a, MeshAttr b) {
  for (int64_t rank : a.getDevices())
    if (llvm::is_contained(b.getDevices(), rank))
      return true;
  return false;
}

/// "8-15" for consecutive ranks, "0_2" otherwise.
std::string ranksText(MeshAttr mesh) {
  llvm::ArrayRef<int64_t> ranks = mesh.getDevices();
  bool consecutive = true;
  for (size_t i = 1; i < ranks.size(); ++i)
    consecutive &= ranks[i] == ranks[i - 1] + 1;
  if (consecutive && ranks.size() > 1)
    return std::to_string(ranks.front()) + "-" + std::to_string(ranks.back());
  std::string text;
  for (int64_t rank : ranks)
    text += (text.empty() ? "" : "_") + std::to_string(rank);
  return text;
}

/// A NameLoc `name` around the file position inside `loc`.
Location namedLoc(const std::string &name, Location loc) {
  if (auto named = llvm::dyn_cast<NameLoc>(loc))
    loc = named.getChildLoc();
  return NameLoc::get(StringAttr::get(loc.getContext(), name), loc);
}

std::string valueName(Value value) {
  if (Operation *producer = value.getDefiningOp())
    if (auto name = llvm::dyn_cast<NameLoc>(producer->getLoc()))
      return name.getName().str();
  return "value";
}

/// The model an op runs, for moving weights: a model call's, or the first
/// reward model of an rlg.reward_apply; "" for others.
std::string activeModel(ModuleOp module, Operation *op) {
  if (auto reshard = llvm::dyn_cast<ReshardOp>(op))
    return reshard.getModel().str();
  if (ModelCall call = getModelCall(op))
    return call.model.str();
  if (auto apply = llvm::dyn_cast<RewardApplyOp>(op)) {
    std::vector<ModelOp> models = rewardModels(module, apply.getReward());
    if (!models.empty())
      return models.front().getSymName().str();
  }
  return "";
}

class MoveInserter {
public:
  explicit MoveInserter(ModuleOp module) : module(module) {}

  MovesInserted run() {
    if (!module->hasAttr(RLGDialect::kDevicesAttrName))
      return counts;
    for (StepOp step : module.getOps<StepOp>()) {
      insertTransfers(step);
      insertReshards(step);
      insertOffloads(step);
    }
    return counts;
  }

private:
  /// The mesh an op reads its operands on: its own, or for a loss op, that
  /// of the update it belongs to.
  static MeshAttr readingMesh(Operation *op) {
    if (PlacementAttr placement = placementOf(op))
      return placement.getMesh();
    if (!isLossOp(op))
      return nullptr;
    for (Operation *user = op; user;) {
      if (llvm::isa<UpdateOp>(user))
        return placementOf(user) ? placementOf(user).getMesh() : nullptr;
      Value result = user->getNumResults() ? user->getResult(0) : Value();
      user =
          result && !result.use_empty() ? *result.getUsers().begin() : nullptr;
    }
    return nullptr;
  }

  void insertTransfers(StepOp step) {
    // (value, mesh) -> its copy there.
    std::map<std::pair<const void *, const void *>, Value> sent;
    for (Operation &op : llvm::make_early_inc_range(step.getBodyBlock())) {
      if (isPlanningOp(&op))
        continue;
      MeshAttr mesh = readingMesh(&op);
      if (!mesh)
        continue;
      for (OpOperand &use : op.getOpOperands()) {
        Value value = use.get();
        MeshAttr from = meshOf(value);
        if (!from || from == mesh)
          continue;
        Value &copy = sent[std::make_pair(value.getAsOpaquePointer(),
                                          mesh.getAsOpaquePointer())];
        if (!copy) {
          OpBuilder builder(&op);
          std::string name = valueName(value) + "_to_" + ranksText(mesh);
          copy = builder.create<TransferOp>(namedLoc(name, op.getLoc()),
                                            value.getType(), value, from, mesh);
          ++counts.transfers;
        }
        use.set(copy);
      }
    }
  }

  void insertReshards(StepOp step) {
    llvm::StringMap<std::vector<Operation *>> calls;
    std::vector<std::string> order;
    for (Operation &op : step.getBodyBlock()) {
      ModelCall call = getModelCall(&op);
      if (!call || !placementOf(&op))
        continue;
      auto [it, added] = calls.try_emplace(call.model);
      if (added)
        order.push_back(call.model.str());
      it->second.push_back(&op);
    }
    for (const std::string &model : order) {
      const std::vector<Operation *> &ops = calls[model];
      // The step repeats: its first call follows its last one.
      PlacementAttr current = placementOf(ops.back());
      for (Operation *op : ops) {
        PlacementAttr next = placementOf(op);
        if (!sameSharding(current, next)) {
          OpBuilder builder(op);
          builder.create<ReshardOp>(namedLoc("reshard_" + model, op->getLoc()),
                                    model, current, next);
          ++counts.reshards;
        }
        current = next;
      }
    }
  }

  /// The model's placement for an op that moves or runs it.
  static PlacementAttr weightsPlacement(Operation *op, bool before) {
    if (auto reshard = llvm::dyn_cast<ReshardOp>(op))
      return before ? reshard.getFrom() : reshard.getTo();
    return placementOf(op);
  }

  void insertOffloads(StepOp step) {
    // Models whose layouts offload, and the ops that use each model.
    std::vector<std::pair<Operation *, std::string>> activity;
    std::vector<std::string> offloaded;
    for (Operation &op : step.getBodyBlock()) {
      std::string model = activeModel(module, &op);
      PlacementAttr placement = weightsPlacement(&op, true);
      if (model.empty() || !placement)
        continue;
      activity.push_back({&op, model});
      if (placement.getLayout().getOffload() &&
          !llvm::is_contained(offloaded, model))
        offloaded.push_back(model);
    }
    for (const std::string &model : offloaded) {
      Operation *last = nullptr;
      for (auto [op, user] : activity) {
        if (user == model) {
          if (!last)
            insertOnload(op, model);
          last = op;
          continue;
        }
        if (last && overlaps(weightsPlacement(op, true).getMesh(),
                             weightsPlacement(last, false).getMesh())) {
          insertOffload(last, model);
          last = nullptr;
        }
      }
      if (last)
        insertOffload(last, model);
    }
  }

  void insertOnload(Operation *before, const std::string &model) {
    OpBuilder builder(before);
    auto op = builder.create<OnloadOp>(
        namedLoc("onload_" + model, before->getLoc()), model);
    op->setAttr(RLGDialect::kPlacementAttrName, weightsPlacement(before, true));
    ++counts.offloads;
  }

  void insertOffload(Operation *after, const std::string &model) {
    OpBuilder builder(after->getContext());
    builder.setInsertionPointAfter(after);
    auto op = builder.create<OffloadOp>(
        namedLoc("offload_" + model, after->getLoc()), model);
    op->setAttr(RLGDialect::kPlacementAttrName, weightsPlacement(after, false));
    ++counts.offloads;
  }

  ModuleOp module;
  MovesInserted counts;
};

} // namespace

MovesInserted insertMoves(ModuleOp module) {
  return MoveInserter(module).run();
}

} // namespace rlg::analysis
