// Call times and per-device memory on a model's layout (docs/cost-model.md,
// "Calls").
#include "rlg/Planner/CallCosts.h"

#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/Reshard.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rlg::planner {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

/// The cluster with free communication: what a call costs without its
/// collectives.
ClusterSpec withoutCommunication(const ClusterSpec &cluster) {
  ClusterSpec free = cluster;
  for (LinkSpec *link : {&free.intraNode, &free.interNode, &free.host})
    *link = LinkSpec{1e12, 0};
  return free;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

double parameters(const ModelArch &arch) {
  return static_cast<double>(arch.parameterCount());
}

/// Seconds to generate on `cluster`: `waves` rounds of `batch` sequences
/// per replica (the last round `lastBatch`), each a prefill and
/// `responseTokens` decode steps at the average context.
double generateSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                       const Efficiency &efficiency, const CallSpec &call,
                       int64_t tp, int64_t batch, int64_t waves,
                       int64_t lastBatch) {
  int64_t context = call.promptTokens + call.responseTokens / 2;
  auto wave = [&](int64_t sequences) {
    return prefillSeconds(arch, cluster, tp, sequences, call.promptTokens,
                          efficiency) +
           static_cast<double>(call.responseTokens) *
               decodeStepSeconds(arch, cluster, tp, sequences, context,
                                 efficiency);
  };
  return static_cast<double>(waves - 1) * wave(batch) + wave(lastBatch);
}

} // namespace

MemoryLedger addLedgers(const MemoryLedger &a, const MemoryLedger &b) {
  MemoryLedger sum;
  sum.weights = a.weights + b.weights;
  sum.gradients = a.gradients + b.gradients;
  sum.optimizer = a.optimizer + b.optimizer;
  sum.activations = a.activations + b.activations;
  sum.kvCache = a.kvCache + b.kvCache;
  sum.buffers = a.buffers + b.buffers;
  return sum;
}

TrainLayout callTrainLayout(const PlanProblem &problem, int call,
                            const ModelLayout &layout, int64_t devices) {
  const CallSpec &spec = problem.workload.calls[call];
  TrainLayout train = layout.train;
  train.dp = std::max<int64_t>(1, devices / (train.tp * train.pp));
  int64_t perStep =
      spec.kind == CallKind::Update ? spec.minibatch : spec.sequences;
  train.microBatches =
      std::max<int64_t>(1, perStep / (train.dp * train.microBatch));
  if (!problem.workload.models[spec.model].trainable) {
    train.zero = 0;
    train.checkpointing = false;
  }
  return train;
}

MemoryLedger modelState(const PlanProblem &problem, int model,
                        const ModelLayout &layout, int64_t devices) {
  const ModelSpec &spec = problem.workload.models[model];
  TrainLayout train = layout.train;
  train.dp = std::max<int64_t>(1, devices / (train.tp * train.pp));
  MemoryLedger state;
  if (!spec.trainable) {
    state.weights =
        2.0 * parameters(spec.arch) / static_cast<double>(train.tp * train.pp);
    return state;
  }
  MemoryLedger full = trainingMemory(spec.arch, train, 1);
  state.weights = full.weights;
  state.gradients = full.gradients;
  state.optimizer = full.optimizer;
  return state;
}

MemoryLedger residentMemory(const PlanProblem &problem, int model,
                            const ModelLayout &layout, int64_t devices) {
  if (layout.offload)
    return {};
  return modelState(problem, model, layout, devices);
}

double offloadSeconds(const PlanProblem &problem, int model,
                      const ModelLayout &layout, int64_t devices) {
  const LinkSpec &host = problem.cluster.host;
  return modelState(problem, model, layout, devices).total() /
             (host.bandwidthGBps * 1e9) +
         host.latencyUs * 1e-6;
}

double generationReshardSeconds(const PlanProblem &problem, int model,
                                const ModelLayout &layout, int64_t devices) {
  (void)devices;
  const ModelSpec &spec = problem.workload.models[model];
  if (!spec.trainable)
    return 0;
  return reshardSeconds(spec.arch, problem.cluster, layout.train,
                        layout.generateTp);
}

CallCost costCall(const PlanProblem &problem, int call,
                  const ModelLayout &layout, int64_t devices,
                  double othersResidentBytes) {
  const CallSpec &spec = problem.workload.calls[call];
  const ModelSpec &model = problem.workload.models[spec.model];
  const ModelArch &arch = model.arch;
  const ClusterSpec &cluster = problem.cluster;
  const Efficiency &efficiency = problem.efficiency;
  ClusterSpec noComm = withoutCommunication(cluster);
  MemoryLedger state = modelState(problem, spec.model, layout, devices);
  int64_t seq = spec.sequenceTokens();
  CallCost cost;

  if (spec.kind == CallKind::Generate) {
    int64_t tp = layout.generateTp;
    int64_t replicas = std::max<int64_t>(1, devices / tp);
    int64_t perReplica = ceilDiv(spec.sequences, replicas);
    MemoryLedger held = layout.offload ? MemoryLedger{} : state;
    held.weights += 2.0 * parameters(arch) / static_cast<double>(tp);
    double perSequence =
        kvCacheBytesPerToken(arch, tp) * static_cast<double>(seq);
    double budget =
        usableBytes(cluster.device) - othersResidentBytes - held.total();
    int64_t fits = budget > 0 ? static_cast<int64_t>(budget / perSequence) : 0;
    if (fits < 1) {
      cost.problem = fmt::format(
          "{} leaves {:.1f} GiB of a device for the KV cache, and one "
          "sequence of {} tokens needs {:.2f} GiB",
          spec.id, std::max(0.0, budget) / kGiB, seq, perSequence / kGiB);
      cost.memory = held;
      return cost;
    }
    int64_t batch = std::min(perReplica, fits);
    cost.waves = ceilDiv(perReplica, batch);
    int64_t lastBatch = perReplica - (cost.waves - 1) * batch;
    cost.seconds = generateSeconds(arch, cluster, efficiency, spec, tp, batch,
                                   cost.waves, lastBatch);
    cost.computeSeconds = generateSeconds(arch, noComm, efficiency, spec, tp,
                                          batch, cost.waves, lastBatch);
    held.kvCache = perSequence * static_cast<double>(batch);
    cost.memory = held;
  } else if (spec.kind == CallKind::Update) {
    TrainLayout train = callTrainLayout(problem, call, layout, devices);
    double steps = static_cast<double>(spec.epochs *
                                       ceilDiv(spec.sequences, spec.minibatch));
    cost.seconds = steps * trainStepSeconds(arch, cluster, train,
                                            spec.minibatch, seq, efficiency);
    cost.computeSeconds =
        steps *
        trainStepSeconds(arch, noComm, train, spec.minibatch, seq, efficiency);
    cost.memory = trainingMemory(arch, train, seq);
  } else {
    TrainLayout train = callTrainLayout(problem, call, layout, devices);
    cost.seconds =
        forwardSeconds(arch, cluster, train, spec.sequences, seq, efficiency);
    cost.computeSeconds =
        forwardSeconds(arch, noComm, train, spec.sequences, seq, efficiency);
    double tokens = static_cast<double>(train.microBatch * seq);
    MemoryLedger working = state;
    // One layer's activations at a time; no backward keeps them.
    working.activations = activationBytesPerTokenPerLayer(arch) * tokens /
                          static_cast<double>(train.tp);
    // fp32 log-softmax over the vocabulary (split over tp) for log-probs;
    // a value or reward head's output is negligible.
    if (spec.kind == CallKind::Logprob)
      working.buffers = 4.0 * tokens * static_cast<double>(arch.vocab) /
                        static_cast<double>(train.tp);
    cost.memory = working;
  }
  cost.commSeconds = std::max(0.0, cost.seconds - cost.computeSeconds);
  return cost;
}

} // namespace rlg::planner
