// Workloads and clusters the planner tests share: PPO and GRPO shaped as
// in practice, on clusters of H100 nodes.
#pragma once

#include "rlg/Planner/Workload.h"

#include <string>

namespace rlg::planner::testing {

/// `nodes` x `perNode` devices of `device` with the profile's links.
inline ClusterSpec makeCluster(int64_t nodes, int64_t perNode,
                               const std::string &device = "H100-80GB") {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  readClusterSpec("nodes = " + std::to_string(nodes) +
                      "\ndevices_per_node = " + std::to_string(perNode) +
                      "\ndevice = \"" + device + "\"\n",
                  cluster, errors);
  return cluster;
}

inline CallSpec makeCall(std::string id, int model, CallKind kind,
                         int64_t sequences, int64_t batch, int64_t prompt,
                         int64_t response, std::vector<int> inputs) {
  CallSpec call;
  call.id = std::move(id);
  call.model = model;
  call.kind = kind;
  call.sequences = sequences;
  call.batch = batch;
  call.promptTokens = prompt;
  call.responseTokens = response;
  call.inputs = std::move(inputs);
  if (kind == CallKind::Update) {
    call.minibatch = batch;
    call.epochs = 1;
  }
  return call;
}

/// PPO (InstructGPT): actor generates, actor/ref log-probs, critic values,
/// reward-model scores, then actor and critic updates; every model of
/// `preset`, `prompts` prompts x 1 sample, updates in `minibatches`.
inline PlanProblem ppoProblem(const std::string &preset, int64_t prompts,
                              int64_t prompt, int64_t response,
                              ClusterSpec cluster, int64_t minibatches = 4) {
  PlanProblem problem;
  Workload &w = problem.workload;
  ModelArch arch = *findModelPreset(preset);
  w.models = {{"actor", arch, true},
              {"ref", arch, false},
              {"critic", arch, true},
              {"rm", arch, false}};
  int64_t mini = prompts / minibatches;
  w.calls = {
      makeCall("gen", 0, CallKind::Generate, prompts, prompts, prompt,
               response, {}),
      makeCall("old_lp", 0, CallKind::Logprob, prompts, prompts, prompt,
               response, {0}),
      makeCall("ref_lp", 1, CallKind::Logprob, prompts, prompts, prompt,
               response, {0}),
      makeCall("values", 2, CallKind::Value, prompts, prompts, prompt,
               response, {0}),
      makeCall("reward", 3, CallKind::Score, prompts, prompts, prompt,
               response, {0}),
      makeCall("update_actor", 0, CallKind::Update, prompts, mini, prompt,
               response, {1, 2, 3, 4}),
      makeCall("update_critic", 2, CallKind::Update, prompts, mini, prompt,
               response, {3, 4}),
  };
  problem.cluster = std::move(cluster);
  return problem;
}

/// GRPO: a policy sampling `samples` per prompt and a frozen reference.
inline PlanProblem grpoProblem(const std::string &preset, int64_t prompts,
                               int64_t samples, int64_t prompt,
                               int64_t response, ClusterSpec cluster) {
  PlanProblem problem;
  Workload &w = problem.workload;
  ModelArch arch = *findModelPreset(preset);
  w.models = {{"actor", arch, true}, {"ref", arch, false}};
  int64_t sequences = prompts * samples;
  w.calls = {
      makeCall("gen", 0, CallKind::Generate, sequences, prompts, prompt,
               response, {}),
      makeCall("old_lp", 0, CallKind::Logprob, sequences, sequences, prompt,
               response, {0}),
      makeCall("ref_lp", 1, CallKind::Logprob, sequences, sequences, prompt,
               response, {0}),
      makeCall("update_actor", 0, CallKind::Update, sequences, sequences / 4,
               prompt, response, {1, 2}),
  };
  problem.cluster = std::move(cluster);
  return problem;
}

} // namespace rlg::planner::testing
