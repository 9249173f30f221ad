// Enumerates partitions, group sizes and layouts for the strategies.
#include "rlg/Planner/SearchSpace.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <numeric>

namespace rlg::planner {

namespace {

bool keepsColocation(const Workload &workload,
                     const std::vector<int> &blockOf) {
  for (const std::vector<int> &group : workload.colocate)
    for (int model : group)
      if (blockOf[model] != blockOf[group.front()])
        return false;
  return true;
}

bool isPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

std::vector<int64_t> powersOfTwoUpTo(int64_t limit) {
  std::vector<int64_t> values;
  for (int64_t v = 1; v <= limit; v *= 2)
    values.push_back(v);
  return values;
}

/// The pins of `model` for calls of `kind` (or for every training-layout
/// kind when `generate` is false).
std::vector<const LayoutPin *> pinsOf(const Workload &workload, int model,
                                      bool generate) {
  std::vector<const LayoutPin *> pins;
  for (const LayoutPin &pin : workload.pins)
    if (pin.model == model && (pin.kind == CallKind::Generate) == generate)
      pins.push_back(&pin);
  return pins;
}

template <typename T> bool allows(const std::optional<T> &pinned, T value) {
  return !pinned || *pinned == value;
}

} // namespace

std::vector<std::vector<std::vector<int>>>
modelPartitions(const Workload &workload) {
  int n = static_cast<int>(workload.models.size());
  std::vector<std::vector<std::vector<int>>> partitions;
  std::vector<int> blockOf(n, 0);
  // Restricted growth strings: blockOf[i] <= 1 + max(blockOf[0..i-1]).
  std::function<void(int, int)> extend = [&](int i, int blocks) {
    if (i == n) {
      if (!keepsColocation(workload, blockOf))
        return;
      std::vector<std::vector<int>> partition(blocks);
      for (int m = 0; m < n; ++m)
        partition[blockOf[m]].push_back(m);
      partitions.push_back(std::move(partition));
      return;
    }
    for (int b = 0; b <= blocks && b < n; ++b) {
      blockOf[i] = b;
      extend(i + 1, std::max(blocks, b + 1));
    }
  };
  if (n > 0)
    extend(0, 0);
  return partitions;
}

std::vector<int64_t> groupSizes(const ClusterSpec &cluster) {
  std::vector<int64_t> sizes;
  for (int64_t v : powersOfTwoUpTo(cluster.devicesPerNode))
    if (v < cluster.devicesPerNode)
      sizes.push_back(v);
  for (int64_t nodes = 1; nodes <= cluster.nodes; ++nodes) {
    bool listed = nodes <= 16;
    if (!listed)
      listed =
          isPowerOfTwo(nodes) || (nodes % 3 == 0 && isPowerOfTwo(nodes / 3));
    if (listed || nodes == cluster.nodes)
      sizes.push_back(nodes * cluster.devicesPerNode);
  }
  return sizes;
}

bool placeGroups(const ClusterSpec &cluster,
                 const std::vector<std::vector<int>> &blocks,
                 const std::vector<int64_t> &sizes,
                 std::vector<DeviceGroup> &groups) {
  std::vector<size_t> order(blocks.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
  groups.clear();
  int64_t next = 0;
  for (size_t index : order) {
    int64_t size = sizes[index];
    // Sub-node groups are powers of two, so a running sum of sizes in
    // descending order keeps every group inside one node.
    if (size < cluster.devicesPerNode &&
        next / cluster.devicesPerNode !=
            (next + size - 1) / cluster.devicesPerNode)
      return false;
    groups.push_back({blocks[index], next, size});
    next += size;
  }
  return next <= cluster.deviceCount();
}

std::vector<ModelLayout> layoutCandidates(const PlanProblem &problem, int model,
                                          int64_t devices, std::string *why) {
  const Workload &workload = problem.workload;
  const ModelSpec &spec = workload.models[model];
  const ModelArch &arch = spec.arch;
  int64_t perNode = problem.cluster.devicesPerNode;
  bool generates = false;
  int64_t prompts = 0;
  std::vector<int64_t> batches; // what dp and dp x micro must divide
  for (const CallSpec &call : workload.calls) {
    if (call.model != model)
      continue;
    if (call.kind == CallKind::Generate) {
      generates = true;
      prompts = std::gcd(prompts, call.batch);
    } else {
      batches.push_back(call.batch);
    }
  }
  auto divides = [&](int64_t unit) {
    for (int64_t batch : batches)
      if (batch % unit != 0)
        return false;
    return true;
  };
  std::vector<const LayoutPin *> trainPins = pinsOf(workload, model, false);
  std::vector<const LayoutPin *> genPins = pinsOf(workload, model, true);
  auto trainAllowed = [&](const TrainLayout &t, bool offload) {
    for (const LayoutPin *pin : trainPins)
      if (!allows(pin->dp, t.dp) || !allows(pin->tp, t.tp) ||
          !allows(pin->pp, t.pp) || !allows(pin->zero, t.zero) ||
          !allows(pin->microBatch, t.microBatch) ||
          !allows(pin->checkpointing, t.checkpointing) ||
          !allows(pin->offload, offload))
        return false;
    return true;
  };
  auto genAllowed = [&](int64_t tp, bool offload) {
    for (const LayoutPin *pin : genPins)
      if (!allows(pin->tp, tp) || !allows(pin->dp, devices / tp) ||
          !allows<int64_t>(pin->pp, 1) || !allows(pin->offload, offload))
        return false;
    return true;
  };

  std::vector<int64_t> genTps{1};
  if (generates) {
    genTps.clear();
    for (int64_t tp : powersOfTwoUpTo(std::min(perNode, devices)))
      if (arch.heads % tp == 0 && devices % tp == 0 &&
          prompts % (devices / tp) == 0)
        genTps.push_back(tp);
  }
  std::vector<int> zeros{0};
  std::vector<bool> checkpointing{false};
  if (spec.trainable) {
    zeros = {0, 1, 2, 3};
    checkpointing = {false, true};
  }

  // Micro-batches in sequences: powers of two, and any the pins name.
  std::vector<int64_t> microBatches = powersOfTwoUpTo(64);
  for (const LayoutPin *pin : trainPins)
    if (pin->microBatch && *pin->microBatch > 0 &&
        std::find(microBatches.begin(), microBatches.end(), *pin->microBatch) ==
            microBatches.end())
      microBatches.push_back(*pin->microBatch);

  std::vector<ModelLayout> layouts;
  for (int64_t tp : powersOfTwoUpTo(std::min(perNode, devices))) {
    if (arch.heads % tp != 0)
      continue;
    int64_t maxPp = std::min(arch.layers, devices / tp);
    if (problem.maxPipelineStages > 0)
      maxPp = std::min(maxPp, problem.maxPipelineStages);
    for (int64_t pp : powersOfTwoUpTo(maxPp)) {
      // Stages hold whole layers, the same number each.
      if (devices % (tp * pp) != 0 || arch.layers % pp != 0)
        continue;
      int64_t dp = devices / (tp * pp);
      if (!divides(dp))
        continue;
      for (int64_t micro : microBatches) {
        if (!divides(dp * micro))
          continue;
        for (int zero : zeros) {
          if (zero > 0 && dp == 1)
            continue;
          for (bool ckpt : checkpointing)
            for (bool offload : {false, true}) {
              TrainLayout train{dp, tp, pp, zero, micro, 1, ckpt};
              if (!trainAllowed(train, offload))
                continue;
              for (int64_t genTp : genTps) {
                if (generates && !genAllowed(genTp, offload))
                  continue;
                layouts.push_back({train, genTp, offload});
              }
            }
        }
      }
    }
  }
  if (layouts.empty() && why) {
    int64_t pinnedPp = 1;
    for (const LayoutPin *pin : trainPins)
      pinnedPp = std::max(pinnedPp, pin->pp.value_or(1));
    if (problem.maxPipelineStages > 0 && pinnedPp > problem.maxPipelineStages)
      *why = fmt::format("{} pins pp = {}, and this plan allows at most {} "
                         "pipeline stage{}",
                         spec.name, pinnedPp, problem.maxPipelineStages,
                         problem.maxPipelineStages == 1 ? "" : "s");
    else if (!trainPins.empty() || !genPins.empty())
      *why = fmt::format("no layout of {} on {} devices keeps its pins and "
                         "divides its batches",
                         spec.name, devices);
    else
      *why = fmt::format("no layout of {} on {} devices divides its batches",
                         spec.name, devices);
  }
  return layouts;
}

} // namespace rlg::planner
