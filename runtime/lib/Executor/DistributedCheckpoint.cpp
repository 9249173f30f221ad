// Checkpoints of a run over several processes: whole weights and optimiser
// state assembled on rank 0, written as one process writes them, and split
// again on resume.
#include "rlg/Runtime/Executor/DistributedCheckpoint.h"
#include "rlg/Runtime/Distributed/DataParallel.h"
#include "rlg/Runtime/Distributed/Messages.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"

#include <torch/torch.h>

namespace rlg::runtime {

namespace {

using torch::optim::AdamWParamState;

/// One parameter's whole state.
struct ParamState {
  at::Tensor weight, expAvg, expAvgSq;
  int64_t step = 0;
};

AdamWParamState *adamStateOf(torch::optim::Optimizer &optimizer,
                             const at::Tensor &param) {
  auto &states = optimizer.state();
  auto it = states.find(
      compat::optimizerStateKey<std::decay_t<decltype(states)>>(param));
  return it == states.end() ? nullptr
                            : dynamic_cast<AdamWParamState *>(it->second.get());
}

void setAdamState(torch::optim::Optimizer &optimizer, const at::Tensor &param,
                  const ParamState &whole, const at::Tensor &avg,
                  const at::Tensor &avgSq) {
  auto state = std::make_unique<AdamWParamState>();
  state->step(whole.step);
  state->exp_avg(avg.to(param.device()).clone());
  state->exp_avg_sq(avgSq.to(param.device()).clone());
  auto &states = optimizer.state();
  states[compat::optimizerStateKey<std::decay_t<decltype(states)>>(param)] =
      std::move(state);
}

/// `t`, split along `name`'s tensor-parallel dimension, gathered whole.
at::Tensor gatherSplit(const at::Tensor &t, const std::string &name,
                       const TensorParallel &tp) {
  int64_t dim = tensorParallelDim(name);
  if (!tp.active() || dim < 0)
    return t;
  at::Tensor front = t.movedim(dim, 0).contiguous();
  return tp.group->allGather(front).movedim(0, dim).contiguous();
}

std::unique_ptr<torch::optim::AdamW> wholeOptimizer(const ModelState &state,
                                                    Model &model) {
  const schedule::Optimizer &opt = *state.decl->optimizer;
  return std::make_unique<torch::optim::AdamW>(
      model->parameters(),
      torch::optim::AdamWOptions(opt.lr).weight_decay(opt.weightDecay));
}

Model wholeModel(RunContext &run, const ModelState &state) {
  Model model(state.model->spec(), state.model->role(), 0);
  model->to(run.options.device);
  return model;
}

/// Whether rank 0's own model and optimiser are already whole.
bool wholeOnLeader(const ModelState &state) {
  int64_t holder =
      state.placement.meshRanks.empty() ? 0 : state.placement.meshRanks[0];
  return holder == 0 && state.placement.tp == 1 && state.zeroOwners.empty();
}

/// This rank's whole-data-parallel state of its slice of every parameter:
/// ZeRO-1 owners broadcast their parameters' state to the data-parallel
/// group.
std::vector<ParamState> sliceStates(RunContext &run, ModelState &state) {
  std::vector<at::Tensor> params = state.model->parameters();
  std::vector<ParamState> out(params.size());
  std::vector<at::Tensor> avg, avgSq, steps;
  for (size_t i = 0; i < params.size(); ++i) {
    out[i].weight = params[i].detach();
    AdamWParamState *adam =
        state.optimizer ? adamStateOf(*state.optimizer, params[i]) : nullptr;
    avg.push_back(adam ? adam->exp_avg().detach().clone()
                       : at::zeros_like(params[i]));
    avgSq.push_back(adam ? adam->exp_avg_sq().detach().clone()
                         : at::zeros_like(params[i]));
    steps.push_back(at::full({1},
                             adam ? static_cast<double>(adam->step()) : 0.0,
                             params[i].options().dtype(at::kDouble)));
  }
  if (!state.zeroOwners.empty()) {
    Communicator &dp = run.group(state.placement.dpGroup);
    broadcastFromOwners(avg, state.zeroOwners, dp);
    broadcastFromOwners(avgSq, state.zeroOwners, dp);
    broadcastFromOwners(steps, state.zeroOwners, dp);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    out[i].expAvg = avg[i];
    out[i].expAvgSq = avgSq[i];
    out[i].step = static_cast<int64_t>(steps[i].item<double>());
  }
  return out;
}

} // namespace

void gatherWholeState(RunContext &run, CheckpointContent &content,
                      WholeModels &whole) {
  int64_t rank = run.rank();
  Communicator &world = run.groups->world();
  for (auto &[name, state] : run.models) {
    if (wholeOnLeader(state)) {
      if (rank == 0) {
        content.models[name] = state.model.get();
        if (state.optimizer)
          content.optimizers[name] = state.optimizer.get();
      }
      continue;
    }
    const OpPlacement &place = state.placement;
    int64_t holder = place.meshRanks[0];
    std::vector<std::string> names;
    for (const auto &item : state.model->named_parameters())
      names.push_back(item.key());
    // Every rank of the mesh assembles its slice's state; the first
    // tensor-parallel group gathers the slices whole.
    std::vector<ParamState> states;
    if (place.contains())
      states = sliceStates(run, state);
    bool gathers = place.contains() && place.dpRank == 0;
    if (gathers) {
      TensorParallel tp = run.tensorParallel(place);
      for (size_t i = 0; i < states.size(); ++i) {
        states[i].weight = gatherSplit(states[i].weight, names[i], tp);
        states[i].expAvg = gatherSplit(states[i].expAvg, names[i], tp);
        states[i].expAvgSq = gatherSplit(states[i].expAvgSq, names[i], tp);
      }
    }
    int tag = 7001;
    if (rank == holder && holder != 0) {
      std::vector<at::Tensor> tensors;
      std::vector<int64_t> stepCounts;
      for (const ParamState &p : states) {
        tensors.insert(tensors.end(), {p.weight, p.expAvg, p.expAvgSq});
        stepCounts.push_back(p.step);
      }
      sendRecord(world, 0, tag, {{"model", name}, {"steps", stepCounts}},
                 tensors);
    }
    if (rank != 0)
      continue;
    if (holder != 0) {
      auto [record, tensors] =
          receiveRecord(world, holder, tag, run.options.device);
      auto stepCounts = record.at("steps").get<std::vector<int64_t>>();
      states.assign(names.size(), {});
      for (size_t i = 0; i < names.size(); ++i)
        states[i] = {tensors.at(3 * i), tensors.at(3 * i + 1),
                     tensors.at(3 * i + 2), stepCounts.at(i)};
    }
    Model model = wholeModel(run, state);
    std::map<std::string, at::Tensor> weights;
    for (size_t i = 0; i < names.size(); ++i)
      weights[names[i]] = states[i].weight;
    loadFullWeights(*model, weights);
    whole.models.insert_or_assign(name, model);
    content.models[name] = model.get();
    if (state.optimizer) {
      auto optimizer = wholeOptimizer(state, model);
      std::vector<at::Tensor> params = model->parameters();
      for (size_t i = 0; i < params.size(); ++i)
        if (states[i].step > 0)
          setAdamState(*optimizer, params[i], states[i], states[i].expAvg,
                       states[i].expAvgSq);
      content.optimizers[name] = optimizer.get();
      whole.optimizers[name] = std::move(optimizer);
    }
  }
}

void makeWholeModels(RunContext &run, CheckpointContent &content,
                     WholeModels &whole) {
  for (auto &[name, state] : run.models) {
    Model model = wholeModel(run, state);
    whole.models.insert_or_assign(name, model);
    content.models[name] = model.get();
    if (state.optimizer) {
      whole.optimizers[name] = wholeOptimizer(state, model);
      content.optimizers[name] = whole.optimizers[name].get();
    }
  }
}

void scatterWholeState(RunContext &run, WholeModels &whole) {
  torch::NoGradGuard noGrad;
  for (auto &[name, state] : run.models) {
    Model &model = whole.models.at(name);
    std::map<std::string, at::Tensor> weights;
    for (const auto &item : model->named_parameters())
      weights[item.key()] = item.value().detach();
    loadFullWeights(*state.model, weights);
    ++state.version;
    if (!state.optimizer)
      continue;
    torch::optim::AdamW &from = *whole.optimizers.at(name);
    TensorParallel tp = run.tensorParallel(state.placement);
    auto wholeParams = model->named_parameters();
    std::vector<at::Tensor> mine = state.model->parameters();
    auto named = state.model->named_parameters();
    for (size_t i = 0; i < named.size(); ++i) {
      if (!state.zeroOwners.empty() &&
          state.zeroOwners[i] != state.placement.dpRank)
        continue;
      const std::string &key = named[i].key();
      AdamWParamState *adam = adamStateOf(from, wholeParams[key]);
      if (!adam)
        continue;
      ParamState p;
      p.step = adam->step();
      setAdamState(*state.optimizer, named[i].value(), p,
                   sliceForRank(adam->exp_avg(), key, tp.rank(), tp.size()),
                   sliceForRank(adam->exp_avg_sq(), key, tp.rank(), tp.size()));
    }
  }
}

} // namespace rlg::runtime
