// The planner benchmark: how long the "search" strategy takes to place PPO's
// four models (7B and 70B) on 8 to 1024 H100s, what it chooses, and the
// fixed strategies' step times beside it (docs/bench.md).
#include "rlg/Planner/Strategy.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace rlg;
using namespace rlg::planner;

namespace {

/// The PPO step every size plans: 1024 prompts x 1 sample of 1024 prompt
/// and 1024 response tokens; both updates in 4 minibatches of 256, 1 epoch.
struct PpoShape {
  int64_t prompts = 1024;
  int64_t promptTokens = 1024;
  int64_t responseTokens = 1024;
  int64_t minibatch = 256;
  int64_t epochs = 1;
};

CallSpec call(std::string id, int model, CallKind kind, int64_t batch,
              std::vector<int> inputs, const PpoShape &shape) {
  CallSpec spec;
  spec.id = std::move(id);
  spec.model = model;
  spec.kind = kind;
  spec.sequences = shape.prompts;
  spec.batch = batch;
  spec.promptTokens = shape.promptTokens;
  spec.responseTokens = shape.responseTokens;
  spec.inputs = std::move(inputs);
  if (kind == CallKind::Update) {
    spec.minibatch = shape.minibatch;
    spec.epochs = shape.epochs;
  }
  return spec;
}

/// PPO (InstructGPT) as its dataflow: the actor generates; the actor and
/// the reference score log-probs, the critic values and the reward model
/// scores of the rollouts; the actor's update reads all four, the critic's
/// the values and the scores.
Workload ppoWorkload(const ModelArch &arch, const ModelArch &criticArch,
                     const PpoShape &shape) {
  Workload w;
  w.models = {{"actor", arch, true},
              {"ref", arch, false},
              {"critic", criticArch, true},
              {"rm", criticArch, false}};
  int64_t all = shape.prompts;
  w.calls = {
      call("gen", 0, CallKind::Generate, all, {}, shape),
      call("old_lp", 0, CallKind::Logprob, all, {0}, shape),
      call("ref_lp", 1, CallKind::Logprob, all, {0}, shape),
      call("values", 2, CallKind::Value, all, {0}, shape),
      call("reward", 3, CallKind::Score, all, {0}, shape),
      call("update_actor", 0, CallKind::Update, shape.minibatch, {1, 2, 3, 4},
           shape),
      call("update_critic", 2, CallKind::Update, shape.minibatch, {3, 4},
           shape),
  };
  return w;
}

/// The devices and network every point plans for.
struct ClusterShape {
  std::string device = "H100-80GB";
  double interNodeGbps = 0; ///< per GPU; 0 keeps the profile's
  /// The most pipeline stages a layout may have; 0: any (the benchmark
  /// sizes plans, which need not run).
  int64_t maxPipelineStages = 0;
};

/// `gpus` devices in nodes of 8 (fewer in one node).
ClusterSpec makeCluster(int64_t gpus, const ClusterShape &shape) {
  int64_t perNode = std::min<int64_t>(8, gpus);
  std::string text = "nodes = " + std::to_string(gpus / perNode) +
                     "\ndevices_per_node = " + std::to_string(perNode) +
                     "\ndevice = \"" + shape.device + "\"\n";
  if (shape.interNodeGbps > 0)
    text += "[links.inter_node]\nbandwidth_gbps = " +
            std::to_string(shape.interNodeGbps) + "\n";
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  if (!readClusterSpec(text, cluster, errors))
    throw std::runtime_error("cannot build a cluster of " +
                             std::to_string(gpus) + " GPUs");
  return cluster;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

/// One (model, GPUs) point.
struct Point {
  std::string model;
  int64_t gpus = 0;
  std::vector<double> searchSeconds;
  StrategyResult search;
  std::vector<std::string> layouts; ///< per model, of the chosen plan
  /// Step seconds of the fixed strategies (0: nothing fits).
  std::vector<std::pair<std::string, double>> baselines;
};

bool generates(const Workload &workload, int model) {
  for (const CallSpec &spec : workload.calls)
    if (spec.model == model && spec.kind == CallKind::Generate)
      return true;
  return false;
}

Point measure(const std::string &preset, const std::string &criticPreset,
              int64_t gpus, int repetitions, const PpoShape &shape,
              const ClusterShape &clusterShape) {
  Point point;
  point.model = criticPreset == preset
                    ? "4x " + preset
                    : "2x " + preset + " + 2x " + criticPreset;
  point.gpus = gpus;
  PlanProblem problem;
  problem.workload = ppoWorkload(*findModelPreset(preset),
                                 *findModelPreset(criticPreset), shape);
  problem.cluster = makeCluster(gpus, clusterShape);
  problem.maxPipelineStages = clusterShape.maxPipelineStages;
  for (int rep = 0; rep < repetitions; ++rep) {
    auto start = std::chrono::steady_clock::now();
    StrategyResult result = runStrategy("search", problem);
    point.searchSeconds.push_back(secondsSince(start));
    if (rep == 0)
      point.search = std::move(result);
  }
  if (point.search.found) {
    const Plan &plan = point.search.best.plan;
    for (size_t m = 0; m < plan.layouts.size(); ++m) {
      const ModelLayout &layout = plan.layouts[m];
      point.layouts.push_back(
          problem.workload.models[m].name + ": " +
          describeLayout(layout.train) +
          (generates(problem.workload, static_cast<int>(m))
               ? ", generate tp" + std::to_string(layout.generateTp)
               : "") +
          (layout.offload ? ", offload" : ""));
    }
  }
  for (const char *name : {"colocate", "split", "standalone"}) {
    StrategyResult result = runStrategy(name, problem);
    point.baselines.push_back(
        {name, result.found ? result.best.evaluation.stepSeconds : 0.0});
  }
  return point;
}

/// `text` with its '|' escaped for a Markdown table cell.
std::string tableCell(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> modelNames() {
  return {"actor", "ref", "critic", "rm"};
}

void printPoint(const Point &p) {
  double fastest =
      *std::min_element(p.searchSeconds.begin(), p.searchSeconds.end());
  std::cout << p.model << " on " << p.gpus << " GPUs: search "
            << fixed(fastest, 3) << " s min, "
            << fixed(median(p.searchSeconds), 3) << " s median ("
            << p.searchSeconds.size() << " runs), " << p.search.plansEvaluated
            << " plans simulated, " << p.search.plansPruned << " pruned\n";
  if (p.search.found) {
    std::cout << "  chosen: "
              << describePartition(p.search.best.plan, modelNames()) << ", "
              << fixed(p.search.best.evaluation.stepSeconds, 2) << " s/step\n";
    for (const std::string &layout : p.layouts)
      std::cout << "    " << layout << '\n';
  } else {
    std::cout << "  nothing fits: " << p.search.error << '\n';
    if (!p.search.hint.empty())
      std::cout << "  hint: " << p.search.hint << '\n';
  }
  std::cout << "  fixed strategies:";
  for (const auto &[name, seconds] : p.baselines)
    std::cout << ' ' << name << ' '
              << (seconds > 0 ? fixed(seconds, 2) + " s" : "(does not fit)")
              << (&name == &p.baselines.back().first ? "" : ",");
  std::cout << "\n\n";
}

nlohmann::ordered_json pointJson(const Point &p) {
  nlohmann::ordered_json out;
  out["model"] = p.model;
  out["models"] = 4;
  out["gpus"] = p.gpus;
  out["search_s_min"] =
      *std::min_element(p.searchSeconds.begin(), p.searchSeconds.end());
  out["search_s_median"] = median(p.searchSeconds);
  out["search_s"] = p.searchSeconds;
  out["found"] = p.search.found;
  out["plans_evaluated"] = p.search.plansEvaluated;
  out["plans_pruned"] = p.search.plansPruned;
  if (p.search.found) {
    out["partition"] = describePartition(p.search.best.plan, modelNames());
    out["layouts"] = p.layouts;
    out["step_s"] = p.search.best.evaluation.stepSeconds;
    out["tokens_per_s"] = p.search.best.evaluation.tokensPerSecond;
  } else {
    out["error"] = p.search.error;
  }
  for (const auto &[name, seconds] : p.baselines)
    out[name + "_step_s"] =
        seconds > 0 ? nlohmann::ordered_json(seconds) : nullptr;
  return out;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Times the planner's search on PPO with four models"};
  std::vector<std::string> models = {"llama-7b", "llama-70b"};
  std::vector<int64_t> gpus = {8, 64, 128, 512, 1024};
  int repetitions = 3;
  std::string json;
  PpoShape shape;
  app.add_option("--models", models, "Model presets (all four models)")
      ->capture_default_str();
  app.add_option("--gpus", gpus, "Cluster sizes (H100s, 8 a node)")
      ->capture_default_str();
  app.add_option("--reps", repetitions, "Timed runs of the search per point")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--prompts", shape.prompts, "Prompts a step (1 sample each)")
      ->capture_default_str();
  app.add_option("--prompt-tokens", shape.promptTokens)->capture_default_str();
  app.add_option("--response-tokens", shape.responseTokens)
      ->capture_default_str();
  app.add_option("--minibatch", shape.minibatch, "Sequences an optimiser step")
      ->capture_default_str();
  std::string criticModel;
  app.add_option("--critic-model", criticModel,
                 "Preset of the critic and the reward model (default: the "
                 "actor's)");
  app.add_option("--epochs", shape.epochs, "Epochs of each update")
      ->capture_default_str();
  ClusterShape clusterShape;
  app.add_option("--device", clusterShape.device, "Device profile")
      ->capture_default_str();
  app.add_option("--inter-node-gbps", clusterShape.interNodeGbps,
                 "Network bandwidth per GPU in GB/s (default: the profile's)");
  app.add_option("--max-pp", clusterShape.maxPipelineStages,
                 "The most pipeline stages a layout may have (0: any; 1: "
                 "what the runtime runs)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--json", json, "Also write the results as JSON here");
  CLI11_PARSE(app, argc, argv);
  std::vector<std::string> presets = models;
  if (!criticModel.empty())
    presets.push_back(criticModel);
  for (const std::string &model : presets)
    if (!findModelPreset(model)) {
      std::cerr << "planner_bench: unknown model preset '" << model << "'\n";
      return 1;
    }
  if (!findDeviceProfile(clusterShape.device)) {
    std::cerr << "planner_bench: unknown device profile '"
              << clusterShape.device << "'\n";
    return 1;
  }
  for (int64_t n : gpus)
    if (n < 1 || (n > 8 && n % 8 != 0)) {
      std::cerr << "planner_bench: " << n << " GPUs do not make nodes of 8\n";
      return 1;
    }

  std::cout << "PPO, actor and reference of one size, critic and reward model "
               "of "
            << (criticModel.empty() ? "the same" : criticModel) << ": "
            << shape.prompts << " prompts x 1 sample, " << shape.promptTokens
            << " + " << shape.responseTokens << " tokens, updates of "
            << shape.minibatch << " sequences x " << shape.epochs << " epoch; "
            << clusterShape.device << " nodes of 8\n\n";
  std::vector<Point> points;
  for (const std::string &model : models)
    for (int64_t n : gpus) {
      points.push_back(measure(model, criticModel.empty() ? model : criticModel,
                               n, repetitions, shape, clusterShape));
      printPoint(points.back());
    }

  // The summary table.
  std::cout << "| model | GPUs | search min (s) | median (s) | chosen "
               "partition | step (s) | colocate (s) | split (s) | "
               "standalone (s) |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const Point &p : points) {
    std::cout << "| " << p.model << " | " << p.gpus << " | "
              << fixed(*std::min_element(p.searchSeconds.begin(),
                                         p.searchSeconds.end()),
                       3)
              << " | " << fixed(median(p.searchSeconds), 3) << " | "
              << (p.search.found ? tableCell(describePartition(
                                       p.search.best.plan, modelNames()))
                                 : "none fits")
              << " | "
              << (p.search.found
                      ? fixed(p.search.best.evaluation.stepSeconds, 2)
                      : "-");
    for (const auto &baseline : p.baselines)
      std::cout << " | "
                << (baseline.second > 0 ? fixed(baseline.second, 2) : "-");
    std::cout << " |\n";
  }

  if (!json.empty()) {
    nlohmann::ordered_json out;
    out["workload"] = {{"algorithm", "ppo"},
                       {"models", 4},
                       {"prompts", shape.prompts},
                       {"samples", 1},
                       {"prompt_tokens", shape.promptTokens},
                       {"response_tokens", shape.responseTokens},
                       {"minibatch", shape.minibatch},
                       {"epochs", shape.epochs},
                       {"critic_model", criticModel},
                       {"device", clusterShape.device},
                       {"max_pp", clusterShape.maxPipelineStages},
                       {"devices_per_node", 8}};
    out["repetitions"] = repetitions;
    out["results"] = nlohmann::ordered_json::array();
    for (const Point &p : points)
      out["results"].push_back(pointJson(p));
    std::ofstream file(json);
    file << out.dump(2) << '\n';
    if (!file) {
      std::cerr << "planner_bench: cannot write " << json << '\n';
      return 1;
    }
    std::cout << "\nwrote " << json << '\n';
  }
  return 0;
}
