// A model's weights in the layouts a schedule asks for: the layout its
// optimiser trains in, copies split for other calls, reshards, offloading.
#include "rlg/Runtime/Executor/ModelLayouts.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"

#include <torch/torch.h>

namespace rlg::runtime {

namespace {

bool callsModel(const schedule::Op &op) {
  using schedule::OpKind;
  return op.kind == OpKind::Generate || op.kind == OpKind::Logprob ||
         op.kind == OpKind::Value || op.kind == OpKind::Score;
}

/// Moves every optimiser state tensor to `device`.
int64_t moveOptimizerState(torch::optim::Optimizer &optimizer,
                           const torch::Device &device) {
  int64_t bytes = 0;
  for (auto &item : optimizer.state()) {
    auto *adam =
        dynamic_cast<torch::optim::AdamWParamState *>(item.second.get());
    if (!adam)
      continue;
    for (at::Tensor *t :
         {&adam->exp_avg(), &adam->exp_avg_sq(), &adam->max_exp_avg_sq()})
      if (t->defined()) {
        bytes += t->numel() * static_cast<int64_t>(t->element_size());
        *t = t->to(device);
      }
  }
  return bytes;
}

int64_t moduleBytes(torch::nn::Module &module) {
  int64_t bytes = 0;
  for (const at::Tensor &p : module.parameters())
    bytes += p.numel() * static_cast<int64_t>(p.element_size());
  return bytes;
}

} // namespace

const schedule::Op *primaryOpOf(const schedule::Schedule &schedule,
                                const std::string &model) {
  const schedule::Op *firstCall = nullptr;
  for (const schedule::Step &step : schedule.steps)
    for (const schedule::Op &op : step.ops) {
      if (op.model != model)
        continue;
      if (op.kind == schedule::OpKind::Update)
        return &op;
      if (!firstCall && callsModel(op))
        firstCall = &op;
    }
  return firstCall;
}

std::map<std::string, at::Tensor> fullWeightsOf(ModelState &state) {
  return gatherFullWeights(*state.model);
}

Model &modelForPlacement(RunContext &run, ModelState &state,
                         const OpPlacement &place) {
  ensureOnDevice(run, state);
  if (place.tp == state.placement.tp || !place.contains())
    return state.model;
  if (!state.placement.contains())
    throw RunError("model '" + state.decl->name +
                       "' is called on ranks that do not hold its weights",
                   "place the model's calls on the mesh of its update");
  ModelState::LayoutCopy &copy = state.copies[place.tp];
  if (!copy.model) {
    copy.model = Model(state.model->spec(), state.model->role(), 0,
                       run.tensorParallel(place));
    copy.model->to(run.options.device);
    copy.model->setPrecision(state.model->precision());
    for (at::Tensor &p : copy.model->parameters())
      p.set_requires_grad(false);
    copy.model->eval();
  }
  if (copy.version != state.version) {
    loadFullWeights(*copy.model, fullWeightsOf(state));
    copy.version = state.version;
  }
  return copy.model;
}

void runReshard(RunContext &run, const schedule::Op &op, MetricMap &metrics) {
  ModelState &state = run.model(op.model);
  const schedule::AttrValue *to = schedule::findAttr(op.attrs, "to");
  if (!to)
    throw RunError("reshard '" + op.id + "' has no `to` layout");
  auto number = [&](const char *key, double fallback) {
    const schedule::AttrValue *v = to->find(key);
    return static_cast<int64_t>(v && v->isNumber() ? v->asDouble() : fallback);
  };
  const schedule::AttrValue *mesh = to->find("mesh");
  OpPlacement place = placeLayout(
      run.schedule, mesh ? mesh->stringValue : op.mesh, number("dp", 1),
      number("tp", 1), run.rank(), "reshard '" + op.id + "'");
  if (place.tp == state.placement.tp)
    return; // back to the training layout: its weights never left
  int64_t before =
      state.copies.count(place.tp) ? state.copies[place.tp].version : -1;
  Model &copy = modelForPlacement(run, state, place);
  if (before != state.version)
    metrics["reshard/bytes"] += static_cast<double>(moduleBytes(*copy));
}

void ensureOnDevice(RunContext &run, ModelState &state) {
  if (!state.offloaded)
    return;
  state.model->to(run.options.device);
  for (auto &[tp, copy] : state.copies)
    if (copy.model)
      copy.model->to(run.options.device);
  if (state.optimizer)
    moveOptimizerState(*state.optimizer, run.options.device);
  state.offloaded = false;
}

void runOffload(RunContext &run, const schedule::Op &op, bool toHost,
                MetricMap &metrics) {
  ModelState &state = run.model(op.model);
  if (!toHost) {
    ensureOnDevice(run, state);
    return;
  }
  if (state.offloaded)
    return;
  int64_t bytes = moduleBytes(*state.model);
  if (run.options.device.is_cuda()) {
    state.model->to(torch::kCPU);
    for (auto &[tp, copy] : state.copies)
      if (copy.model)
        copy.model->to(torch::kCPU);
    if (state.optimizer)
      bytes += moveOptimizerState(*state.optimizer, torch::kCPU);
  }
  state.offloaded = true;
  metrics["offload/bytes"] += static_cast<double>(bytes);
}

} // namespace rlg::runtime
