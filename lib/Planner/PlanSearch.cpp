// Branch and bound over each group's layouts, then every partition and
// group size simulated (docs/strategies.md, "search").
#include "rlg/Planner/PlanSearch.h"

#include "rlg/Planner/CallCosts.h"
#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/SearchSpace.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <limits>

namespace rlg::planner {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::vector<std::string> modelNames(const Workload &workload) {
  std::vector<std::string> names;
  for (const ModelSpec &model : workload.models)
    names.push_back(model.name);
  return names;
}

uint64_t maskOf(const std::vector<int> &models) {
  uint64_t mask = 0;
  for (int model : models)
    mask |= uint64_t{1} << model;
  return mask;
}

/// "2.310 s/step, 18.0 % slower", or a tie said as such.
std::string slowerBy(double step, double best) {
  double percent = 100.0 * (step / best - 1.0);
  if (percent < 0.05)
    return fmt::format("{:.3f} s/step, as fast (a tie; the chosen plan came "
                       "first in the search order)",
                       step);
  return fmt::format("{:.3f} s/step, {:.1f} % slower", step, percent);
}

std::string describePlan(const PlanProblem &problem, const Plan &plan) {
  std::string text = describePartition(plan, modelNames(problem.workload));
  for (size_t m = 0; m < plan.layouts.size(); ++m) {
    const ModelLayout &layout = plan.layouts[m];
    text += "; " + problem.workload.models[m].name + " " +
            describeLayout(layout.train);
    for (const CallSpec &call : problem.workload.calls)
      if (call.model == static_cast<int>(m) &&
          call.kind == CallKind::Generate) {
        text += fmt::format(" gen-tp{}", layout.generateTp);
        break;
      }
    if (layout.offload)
      text += " offload";
  }
  return text;
}

} // namespace

PlanSearch::PlanSearch(const PlanProblem &problem) : problem(problem) {}

const std::vector<PlanSearch::Candidate> &
PlanSearch::candidatesFor(int model, int64_t devices, std::string &why) {
  auto key = std::make_pair(static_cast<int64_t>(model), devices);
  auto found = candidates.find(key);
  if (found != candidates.end())
    return found->second;
  std::vector<Candidate> all;
  double usable = usableBytes(problem.cluster.device);
  const ModelSpec &spec = problem.workload.models[model];
  std::string layoutWhy;
  std::vector<ModelLayout> layouts =
      layoutCandidates(problem, model, devices, &layoutWhy);
  std::string memoryWhy;
  for (const ModelLayout &layout : layouts) {
    Candidate candidate;
    candidate.layout = layout;
    candidate.persistentBytes =
        residentMemory(problem, model, layout, devices).total();
    if (layout.offload)
      candidate.fixedSeconds +=
          2.0 * offloadSeconds(problem, model, layout, devices);
    bool fits = true;
    for (size_t c = 0; c < problem.workload.calls.size() && fits; ++c) {
      const CallSpec &call = problem.workload.calls[c];
      if (call.model != model)
        continue;
      CallCost cost =
          costCall(problem, static_cast<int>(c), layout, devices, 0);
      if (!cost.problem.empty()) {
        fits = false;
        memoryWhy = cost.problem;
        break;
      }
      double need = cost.memory.total();
      if (call.kind == CallKind::Generate) {
        candidate.generateSeconds += cost.seconds;
        candidate.fixedSeconds +=
            generationReshardSeconds(problem, model, layout, devices);
        // At least one sequence's KV cache per replica.
        need = cost.memory.total() - cost.memory.kvCache +
               kvCacheBytesPerToken(spec.arch, layout.generateTp) *
                   static_cast<double>(call.sequenceTokens());
      } else {
        candidate.fixedSeconds += cost.seconds;
      }
      candidate.needBytes = std::max(candidate.needBytes, need);
      if (need > usable) {
        fits = false;
        MemoryLedger ledger = cost.memory;
        memoryWhy = memoryShortfall(ledger, problem.cluster.device)
                        .value_or("does not fit");
        memoryWhy = spec.name + " " + call.id + " " + memoryWhy;
      }
    }
    if (fits)
      all.push_back(candidate);
  }
  // Pareto front per (generation tp, offload): a layout slower, holding
  // more between calls and needing more during them never wins.
  std::stable_sort(all.begin(), all.end(),
                   [](const Candidate &a, const Candidate &b) {
                     return a.fixedSeconds < b.fixedSeconds;
                   });
  std::vector<Candidate> front;
  for (const Candidate &candidate : all) {
    bool dominated = false;
    for (const Candidate &kept : front)
      if (kept.layout.generateTp == candidate.layout.generateTp &&
          kept.layout.offload == candidate.layout.offload &&
          kept.fixedSeconds <= candidate.fixedSeconds &&
          kept.persistentBytes <= candidate.persistentBytes &&
          kept.needBytes <= candidate.needBytes) {
        dominated = true;
        break;
      }
    if (!dominated)
      front.push_back(candidate);
  }
  std::stable_sort(front.begin(), front.end(),
                   [](const Candidate &a, const Candidate &b) {
                     return a.optimistic() < b.optimistic();
                   });
  if (front.empty())
    why = layouts.empty() ? layoutWhy : memoryWhy;
  return candidates.emplace(key, std::move(front)).first->second;
}

const GroupChoice &PlanSearch::bestGroup(const std::vector<int> &models,
                                         int64_t devices) {
  auto key = std::make_pair(maskOf(models), devices);
  auto found = groups.find(key);
  if (found != groups.end())
    return found->second;
  return groups.emplace(key, solveGroup(models, devices)).first->second;
}

GroupChoice PlanSearch::solveGroup(const std::vector<int> &models,
                                   int64_t devices) {
  GroupChoice choice;
  size_t k = models.size();
  std::vector<const std::vector<Candidate> *> lists;
  for (int model : models) {
    std::string why;
    const std::vector<Candidate> &list = candidatesFor(model, devices, why);
    if (list.empty()) {
      choice.reason = why;
      return choice;
    }
    lists.push_back(&list);
  }
  // Bounds over the models not chosen yet.
  std::vector<double> minSeconds(k + 1, 0), minPersistent(k + 1, 0);
  for (size_t i = k; i-- > 0;) {
    double seconds = kInfinity, persistent = kInfinity;
    for (const Candidate &c : *lists[i]) {
      seconds = std::min(seconds, c.optimistic());
      persistent = std::min(persistent, c.persistentBytes);
    }
    minSeconds[i] = minSeconds[i + 1] + seconds;
    minPersistent[i] = minPersistent[i + 1] + persistent;
  }
  double usable = usableBytes(problem.cluster.device);
  double best = kInfinity;
  std::string lastReason = "no combination of layouts fits the devices";
  std::vector<const Candidate *> chosen(k, nullptr);

  // Exact cost of a complete choice: generation sees the memory the
  // others leave.
  auto settle = [&]() {
    double persistent = 0;
    for (const Candidate *c : chosen)
      persistent += c->persistentBytes;
    double busy = 0;
    for (size_t i = 0; i < k; ++i) {
      double others = persistent - chosen[i]->persistentBytes;
      busy += chosen[i]->fixedSeconds;
      for (size_t c = 0; c < problem.workload.calls.size(); ++c) {
        const CallSpec &call = problem.workload.calls[c];
        if (call.model != models[i])
          continue;
        CallCost cost = costCall(problem, static_cast<int>(c),
                                 chosen[i]->layout, devices, others);
        if (!cost.problem.empty()) {
          lastReason = cost.problem;
          return;
        }
        if (others + cost.memory.total() > usable) {
          lastReason = call.id + " does not fit beside the group's other "
                                 "models";
          return;
        }
        if (call.kind == CallKind::Generate)
          busy += cost.seconds;
      }
    }
    if (busy < best) {
      best = busy;
      choice.feasible = true;
      choice.busySeconds = busy;
      choice.layouts.clear();
      for (const Candidate *c : chosen)
        choice.layouts.push_back(c->layout);
    }
  };

  std::function<void(size_t, double, double, double)> descend =
      [&](size_t i, double seconds, double persistent, double slack) {
        if (i == k) {
          settle();
          return;
        }
        for (const Candidate &c : *lists[i]) {
          if (seconds + c.optimistic() + minSeconds[i + 1] >= best)
            break; // sorted: every later candidate is slower still
          double total = persistent + c.persistentBytes;
          double worst = std::max(slack, c.needBytes - c.persistentBytes);
          if (total + worst + minPersistent[i + 1] > usable) {
            lastReason = "the group's models do not fit its devices together";
            continue;
          }
          chosen[i] = &c;
          descend(i + 1, seconds + c.optimistic(), total, worst);
        }
      };
  descend(0, 0, 0, 0);
  if (!choice.feasible)
    choice.reason = lastReason;
  return choice;
}

StrategyResult PlanSearch::searchPartitions(
    const std::string &strategy,
    const std::vector<std::vector<std::vector<int>>> &partitions) {
  StrategyResult result;
  const Workload &workload = problem.workload;
  std::vector<int64_t> sizes = groupSizes(problem.cluster);
  int64_t total = problem.cluster.deviceCount();
  double bestStep = kInfinity;
  Plan bestPlan;
  // The best plan of each partition, for the runners-up.
  struct PartitionBest {
    Plan plan;
    double step = kInfinity;
    std::string reason;
    std::string partition; ///< "{actor, ref} | {critic, rm}"
  };
  std::vector<PartitionBest> perPartition(partitions.size());

  for (size_t p = 0; p < partitions.size(); ++p) {
    const std::vector<std::vector<int>> &blocks = partitions[p];
    for (const std::vector<int> &block : blocks) {
      std::string names;
      for (int model : block)
        names += (names.empty() ? "" : ", ") + workload.models[model].name;
      perPartition[p].partition +=
          (perPartition[p].partition.empty() ? "{" : " | {") + names + "}";
    }
    std::vector<int64_t> chosen(blocks.size(), 0);
    std::function<void(size_t, int64_t)> assign = [&](size_t b, int64_t used) {
      if (b == blocks.size()) {
        Plan plan;
        plan.strategy = strategy;
        if (!placeGroups(problem.cluster, blocks, chosen, plan.groups)) {
          ++result.plansPruned;
          return;
        }
        double bound = 0;
        plan.layouts.assign(workload.models.size(), ModelLayout{});
        for (const DeviceGroup &group : plan.groups) {
          const GroupChoice &choice =
              bestGroup(group.models, group.deviceCount);
          if (!choice.feasible) {
            ++result.plansPruned;
            if (perPartition[p].reason.empty() || group.deviceCount == total)
              perPartition[p].reason =
                  fmt::format("{} devices for {}: {}", group.deviceCount,
                              describePartition(Plan{"", {group}, {}},
                                                modelNames(workload)),
                              choice.reason);
            return;
          }
          bound = std::max(bound, choice.busySeconds);
          for (size_t i = 0; i < group.models.size(); ++i)
            plan.layouts[group.models[i]] = choice.layouts[i];
        }
        ++result.plansEvaluated;
        // A group is busy at most one step's time per step.
        if (bound >= perPartition[p].step && bound >= bestStep)
          return;
        Evaluation evaluation = evaluatePlan(problem, plan);
        if (!evaluation.feasible) {
          perPartition[p].reason = evaluation.reason;
          return;
        }
        if (evaluation.stepSeconds < perPartition[p].step) {
          perPartition[p].step = evaluation.stepSeconds;
          perPartition[p].plan = plan;
        }
        if (evaluation.stepSeconds < bestStep) {
          bestStep = evaluation.stepSeconds;
          bestPlan = plan;
        }
        return;
      }
      for (int64_t size : sizes) {
        if (used + size > total)
          break;
        chosen[b] = size;
        assign(b + 1, used + size);
      }
    };
    assign(0, 0);
  }

  if (bestStep == kInfinity) {
    result.found = false;
    for (const PartitionBest &best : perPartition)
      if (!best.reason.empty()) {
        result.error = "no plan fits: " + best.reason;
        break;
      }
    if (result.error.empty())
      result.error = "no plan fits the cluster";
    return result;
  }
  result.found = true;
  result.best.plan = bestPlan;
  result.best.evaluation = evaluatePlan(problem, bestPlan);
  std::string bestPartition = describePartition(bestPlan, modelNames(workload));
  std::vector<Rejected> feasible, infeasible;
  for (const PartitionBest &best : perPartition) {
    if (best.step < kInfinity) {
      if (describePartition(best.plan, modelNames(workload)) == bestPartition)
        continue;
      feasible.push_back(
          {describePlan(problem, best.plan),
           slowerBy(best.step, bestStep),
           best.step});
    } else if (!best.reason.empty()) {
      infeasible.push_back({best.partition, "does not fit: " + best.reason, 0});
    }
  }
  std::stable_sort(feasible.begin(), feasible.end(),
                   [](const Rejected &a, const Rejected &b) {
                     return a.stepSeconds < b.stepSeconds;
                   });
  for (const Rejected &r : feasible)
    if (result.runnersUp.size() < 3)
      result.runnersUp.push_back(r);
  for (const Rejected &r : infeasible)
    if (result.runnersUp.size() < 3)
      result.runnersUp.push_back(r);
  return result;
}

} // namespace rlg::planner
