// The event-driven simulation of a plan: the step graph unrolled for several
// iterations, list-scheduled on the device groups (docs/cost-model.md,
// "Simulation").
#include "rlg/Planner/CallCosts.h"

#include <algorithm>
#include <limits>

namespace rlg::planner {

namespace {

struct Node {
  SimEvent event;
  double duration = 0;
  bool usesGroup = true; ///< transfers run on the links, not the devices
  std::vector<int> deps;
  int order = 0; ///< tie-break: position in the unrolled program
};

/// Bytes of the value `producer` hands to its readers.
double valueBytes(const CallSpec &producer) {
  double sequences = static_cast<double>(producer.sequences);
  switch (producer.kind) {
  case CallKind::Generate: // int32 token ids of prompt and response
    return 4.0 * sequences * static_cast<double>(producer.sequenceTokens());
  case CallKind::Logprob:
  case CallKind::Value: // an fp32 number per response token
    return 4.0 * sequences * static_cast<double>(producer.responseTokens);
  default: // an fp32 number per sequence
    return 4.0 * sequences;
  }
}

bool sameNode(const ClusterSpec &cluster, const DeviceGroup &a,
              const DeviceGroup &b) {
  int64_t node = a.firstDevice / cluster.devicesPerNode;
  auto within = [&](const DeviceGroup &g) {
    return g.firstDevice / cluster.devicesPerNode == node &&
           (g.firstDevice + g.deviceCount - 1) / cluster.devicesPerNode == node;
  };
  return within(a) && within(b);
}

class Unroller {
public:
  Unroller(const PlanProblem &problem, const Plan &plan,
           const std::vector<CallCost> &costs)
      : problem(problem), plan(plan), costs(costs), workload(problem.workload) {
  }

  std::vector<Node> unroll() {
    int iterations = std::max(1, problem.iterations);
    size_t calls = workload.calls.size();
    lastChunk.assign(iterations, std::vector<int>(calls, -1));
    chunkNodes.assign(iterations, std::vector<std::vector<int>>(calls));
    lastUpdate.assign(iterations, std::vector<int>(workload.models.size(), -1));
    offloadNode.assign(iterations,
                       std::vector<int>(workload.models.size(), -1));
    for (int i = 0; i < iterations; ++i)
      unrollIteration(i);
    return std::move(nodes);
  }

private:
  const PlanProblem &problem;
  const Plan &plan;
  const std::vector<CallCost> &costs;
  const Workload &workload;
  std::vector<Node> nodes;
  std::vector<std::vector<int>> lastChunk; // [iteration][call] -> node
  std::vector<std::vector<std::vector<int>>> chunkNodes;
  std::vector<std::vector<int>> lastUpdate;  // [iteration][model] -> node
  std::vector<std::vector<int>> offloadNode; // [iteration][model] -> node

  int add(SimEvent::Kind kind, int group, int iteration, double duration,
          std::string label, std::vector<int> deps, bool usesGroup = true) {
    Node node;
    node.event.kind = kind;
    node.event.group = group;
    node.event.iteration = iteration;
    node.event.label = std::move(label);
    node.duration = duration;
    node.usesGroup = usesGroup;
    node.deps = std::move(deps);
    node.order = static_cast<int>(nodes.size());
    nodes.push_back(std::move(node));
    return static_cast<int>(nodes.size()) - 1;
  }

  int64_t chunksOf(int call) const {
    const Overlap &overlap = workload.overlap;
    if (overlap.kind != Overlap::Kind::Stream || overlap.chunks <= 1)
      return 1;
    const CallSpec &spec = workload.calls[call];
    if (spec.kind == CallKind::Generate)
      return overlap.chunks;
    // A reader of a generation on another group scores it piece by piece.
    for (int input : spec.inputs)
      if (workload.calls[input].kind == CallKind::Generate &&
          plan.groupOf(workload.calls[input].model) != plan.groupOf(spec.model))
        return overlap.chunks;
    return 1;
  }

  /// The node that brings `input`'s value (whole, or chunk `chunk` when
  /// both sides are chunked) to `call`'s group, adding a transfer when
  /// the groups differ.
  int arrival(int iteration, int input, int call, int64_t chunk,
              int64_t chunks) {
    const CallSpec &from = workload.calls[input];
    const CallSpec &to = workload.calls[call];
    int fromGroup = plan.groupOf(from.model);
    int toGroup = plan.groupOf(to.model);
    const std::vector<int> &pieces = chunkNodes[iteration][input];
    bool piecewise =
        chunk >= 0 && static_cast<int64_t>(pieces.size()) == chunks;
    int source = piecewise ? pieces[chunk] : lastChunk[iteration][input];
    if (fromGroup == toGroup)
      return source;
    const DeviceGroup &a = plan.groups[fromGroup];
    const DeviceGroup &b = plan.groups[toGroup];
    const LinkSpec &link = sameNode(problem.cluster, a, b)
                               ? problem.cluster.intraNode
                               : problem.cluster.interNode;
    double share = valueBytes(from) /
                   static_cast<double>(std::min(a.deviceCount, b.deviceCount));
    if (piecewise)
      share /= static_cast<double>(chunks);
    double seconds = share / (link.bandwidthGBps * 1e9) + link.latencyUs * 1e-6;
    int node = add(SimEvent::Kind::Transfer, toGroup, iteration, seconds,
                   "transfer " + from.id + " -> " + to.id, {source},
                   /*usesGroup=*/false);
    nodes[node].event.call = call;
    return node;
  }

  void unrollIteration(int i) {
    int staleness = workload.overlap.kind == Overlap::Kind::OffPolicy
                        ? static_cast<int>(workload.overlap.staleness)
                        : 0;
    std::vector<int> onloaded(workload.models.size(), -1);
    std::vector<std::vector<int>> modelCalls(workload.models.size());
    for (size_t c = 0; c < workload.calls.size(); ++c) {
      int call = static_cast<int>(c);
      const CallSpec &spec = workload.calls[c];
      int model = spec.model;
      int group = plan.groupOf(model);
      const ModelLayout &layout = plan.layouts[model];
      int64_t devices = plan.groups[group].deviceCount;
      std::vector<int> common;
      // Weights: the previous iteration's update (an older one for an
      // off-policy generation).
      int weightsFrom =
          i - 1 - (spec.kind == CallKind::Generate ? staleness : 0);
      if (weightsFrom >= 0 && lastUpdate[weightsFrom][model] >= 0)
        common.push_back(lastUpdate[weightsFrom][model]);
      // The model's own earlier calls this iteration (an update waits for
      // every read of the weights it changes).
      for (int earlier : modelCalls[model])
        common.push_back(earlier);
      if (layout.offload && onloaded[model] < 0) {
        std::vector<int> deps = common;
        if (i > 0 && offloadNode[i - 1][model] >= 0)
          deps.push_back(offloadNode[i - 1][model]);
        onloaded[model] = add(SimEvent::Kind::Onload, group, i,
                              offloadSeconds(problem, model, layout, devices),
                              "onload " + workload.models[model].name, deps);
        nodes[onloaded[model]].event.model = model;
      }
      if (onloaded[model] >= 0)
        common.push_back(onloaded[model]);
      if (spec.kind == CallKind::Generate) {
        double reshard =
            generationReshardSeconds(problem, model, layout, devices);
        if (reshard > 0) {
          int node = add(SimEvent::Kind::Reshard, group, i, reshard,
                         "reshard " + workload.models[model].name, common);
          nodes[node].event.model = model;
          common = {node};
        }
      }
      int64_t chunks = chunksOf(call);
      int previous = -1;
      for (int64_t k = 0; k < chunks; ++k) {
        std::vector<int> deps = common;
        if (previous >= 0)
          deps.push_back(previous);
        for (int input : spec.inputs)
          deps.push_back(arrival(i, input, call, chunks > 1 ? k : -1, chunks));
        std::string label = workload.models[model].name + "." +
                            callKindName(spec.kind) + " " + spec.id;
        previous =
            add(SimEvent::Kind::Call, group, i,
                costs[c].seconds / static_cast<double>(chunks), label, deps);
        nodes[previous].event.call = call;
        nodes[previous].event.model = model;
        nodes[previous].event.chunk = chunks > 1 ? static_cast<int>(k) : -1;
        chunkNodes[i][c].push_back(previous);
      }
      lastChunk[i][c] = previous;
      modelCalls[model].push_back(previous);
      if (spec.kind == CallKind::Update)
        lastUpdate[i][model] = previous;
    }
    // Offloaded models go back to the host after their last call.
    for (size_t m = 0; m < workload.models.size(); ++m) {
      if (onloaded[m] < 0)
        continue;
      int group = plan.groupOf(static_cast<int>(m));
      int node =
          add(SimEvent::Kind::Offload, group, i,
              offloadSeconds(problem, static_cast<int>(m), plan.layouts[m],
                             plan.groups[group].deviceCount),
              "offload " + workload.models[m].name, modelCalls[m]);
      nodes[node].event.model = static_cast<int>(m);
      offloadNode[i][m] = node;
    }
  }
};

/// Greedy list scheduling: repeatedly starts, among nodes whose
/// dependencies have finished, the one that can start earliest (ties by
/// program order), each group running one node at a time.
void schedule(std::vector<Node> &nodes, size_t groups) {
  std::vector<double> groupFree(groups, 0.0);
  std::vector<bool> done(nodes.size(), false);
  std::vector<int> waiting(nodes.size());
  std::vector<std::vector<int>> users(nodes.size());
  for (size_t n = 0; n < nodes.size(); ++n) {
    waiting[n] = static_cast<int>(nodes[n].deps.size());
    for (int dep : nodes[n].deps)
      users[dep].push_back(static_cast<int>(n));
  }
  std::vector<int> ready;
  for (size_t n = 0; n < nodes.size(); ++n)
    if (waiting[n] == 0)
      ready.push_back(static_cast<int>(n));
  auto earliest = [&](int n) {
    double start = nodes[n].usesGroup ? groupFree[nodes[n].event.group] : 0;
    for (int dep : nodes[n].deps)
      start = std::max(start, nodes[dep].event.end);
    return start;
  };
  while (!ready.empty()) {
    size_t best = 0;
    double bestStart = std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < ready.size(); ++r) {
      double start = earliest(ready[r]);
      if (start < bestStart - 1e-12 ||
          (start < bestStart + 1e-12 &&
           nodes[ready[r]].order < nodes[ready[best]].order)) {
        best = r;
        bestStart = std::min(bestStart, start);
      }
    }
    int n = ready[best];
    ready.erase(ready.begin() + static_cast<long>(best));
    Node &node = nodes[n];
    node.event.start = bestStart;
    node.event.end = bestStart + node.duration;
    if (node.usesGroup)
      groupFree[node.event.group] = node.event.end;
    done[n] = true;
    for (int user : users[n])
      if (--waiting[user] == 0)
        ready.push_back(user);
  }
}

} // namespace

Evaluation evaluatePlan(const PlanProblem &problem, const Plan &plan) {
  Evaluation evaluation;
  evaluation.reason = infeasibility(problem, plan);
  if (!evaluation.reason.empty())
    return evaluation;
  evaluation.feasible = true;
  const Workload &workload = problem.workload;
  for (size_t c = 0; c < workload.calls.size(); ++c) {
    evaluation.calls.push_back(callCost(problem, plan, static_cast<int>(c)));
    int model = workload.calls[c].model;
    evaluation.memory.push_back(
        {plan.groupOf(model), workload.calls[c].id,
         addLedgers(othersResident(problem, plan, model),
                    evaluation.calls.back().memory)});
  }
  std::vector<Node> nodes = Unroller(problem, plan, evaluation.calls).unroll();
  schedule(nodes, plan.groups.size());

  int iterations = std::max(1, problem.iterations);
  std::vector<double> finish(iterations, 0.0);
  evaluation.groupBusySeconds.assign(plan.groups.size(), 0.0);
  for (const Node &node : nodes) {
    finish[node.event.iteration] =
        std::max(finish[node.event.iteration], node.event.end);
    if (node.usesGroup)
      evaluation.groupBusySeconds[node.event.group] +=
          node.duration / iterations;
    evaluation.events.push_back(node.event);
  }
  // The steady state: the rate at which the second half of the unrolled
  // steps finish (the first fill the pipeline), never faster than the
  // busiest group allows.
  std::sort(finish.begin(), finish.end());
  int first = iterations / 2 - 1;
  evaluation.stepSeconds =
      first >= 0 ? (finish.back() - finish[first]) / (iterations - 1 - first)
                 : finish.back();
  for (double busy : evaluation.groupBusySeconds)
    evaluation.stepSeconds = std::max(evaluation.stepSeconds, busy);
  if (evaluation.stepSeconds > 0)
    evaluation.tokensPerSecond =
        workload.generatedTokensPerStep() / evaluation.stepSeconds;
  return evaluation;
}

} // namespace rlg::planner
