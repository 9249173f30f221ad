// The planner's outputs for people, on a hand-built PPO plan: actor and ref
// on GPUs 0-7, the critic on 8-11, the reward model on 12-15, two simulated
// iterations. Set RLG_PLAN_SAMPLES_DIR to also write every output there.
#include "rlg/Planner/PlanOutputs.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>

using namespace rlg;
using namespace rlg::planner;

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

enum Call {
  Gen,
  RefLogprob,
  OldLogprob,
  Values,
  Reward,
  UpdateActor,
  UpdateCritic
};

PlanProblem ppoProblem() {
  PlanProblem problem;
  ClusterSpec &cluster = problem.cluster;
  cluster.name = "two-nodes";
  cluster.nodes = 2;
  cluster.devicesPerNode = 8;
  cluster.device = *findDeviceProfile("H100-80GB");
  ModelArch llama = *findModelPreset("llama-7b");
  Workload &workload = problem.workload;
  workload.models = {{"actor", llama, true},
                     {"ref", llama, false},
                     {"critic", llama, true},
                     {"rm", llama, false}};
  auto call = [&](std::string id, int model, CallKind kind,
                  std::vector<int> inputs) {
    CallSpec spec;
    spec.id = std::move(id);
    spec.model = model;
    spec.kind = kind;
    spec.sequences = 512;
    spec.promptTokens = 512;
    spec.responseTokens = 512;
    spec.inputs = std::move(inputs);
    if (kind == CallKind::Update)
      spec.minibatch = 64;
    workload.calls.push_back(spec);
  };
  call("gen", 0, CallKind::Generate, {});
  call("ref_logprob", 1, CallKind::Logprob, {Gen});
  call("old_logprob", 0, CallKind::Logprob, {Gen});
  call("values", 2, CallKind::Value, {Gen});
  call("reward", 3, CallKind::Score, {Gen});
  call("update_actor", 0, CallKind::Update,
       {RefLogprob, OldLogprob, Values, Reward});
  call("update_critic", 2, CallKind::Update, {Values, Reward});
  problem.iterations = 2;
  return problem;
}

TrainLayout layout(int64_t dp, int64_t tp, int zero, int64_t microBatch,
                   bool checkpointing) {
  TrainLayout result;
  result.dp = dp;
  result.tp = tp;
  result.zero = zero;
  result.microBatch = microBatch;
  result.checkpointing = checkpointing;
  return result;
}

Plan ppoPlan() {
  Plan plan;
  plan.strategy = "search";
  plan.groups = {{{0, 1}, 0, 8}, {{2}, 8, 4}, {{3}, 12, 4}};
  plan.layouts.resize(4);
  plan.layouts[0].train = layout(4, 2, 1, 2, true);
  plan.layouts[0].generateTp = 2;
  plan.layouts[1].train = layout(4, 2, 0, 4, false);
  plan.layouts[2].train = layout(2, 2, 1, 2, true);
  plan.layouts[2].offload = true;
  plan.layouts[3].train = layout(4, 1, 0, 8, false);
  return plan;
}

// Per-call seconds, and when each call starts within its iteration.
const double kSeconds[] = {20.5, 2.1, 2.0, 3.2, 1.6, 9.8, 6.4};
const double kStepSeconds = 34.9;

SimEvent event(SimEvent::Kind kind, int group, int iteration, int call,
               int model, double start, double end, std::string label) {
  SimEvent result;
  result.kind = kind;
  result.group = group;
  result.iteration = iteration;
  result.call = call;
  result.model = model;
  result.start = start;
  result.end = end;
  result.label = std::move(label);
  return result;
}

Evaluation ppoEvaluation(const PlanProblem &problem, const Plan &plan) {
  Evaluation evaluation;
  evaluation.feasible = true;
  evaluation.stepSeconds = kStepSeconds;
  evaluation.tokensPerSecond =
      problem.workload.generatedTokensPerStep() / kStepSeconds;
  for (double seconds : kSeconds) {
    CallCost cost;
    cost.seconds = seconds;
    cost.computeSeconds = seconds * 0.8;
    cost.commSeconds = seconds * 0.2;
    evaluation.calls.push_back(cost);
  }
  using Kind = SimEvent::Kind;
  for (int it = 0; it < 2; ++it) {
    double t = it * kStepSeconds;
    auto &events = evaluation.events;
    events.push_back(
        event(Kind::Reshard, 0, it, -1, 0, t, t + 0.5, "reshard actor"));
    // Generation streamed in two chunks.
    events.push_back(event(Kind::Call, 0, it, Gen, -1, t + 0.5, t + 10.75,
                           "actor.generate"));
    events.back().chunk = 0;
    events.push_back(event(Kind::Call, 0, it, Gen, -1, t + 10.75, t + 21.0,
                           "actor.generate"));
    events.back().chunk = 1;
    events.push_back(event(Kind::Call, 0, it, RefLogprob, -1, t + 21.0,
                           t + 23.1, "ref.logprob"));
    events.push_back(event(Kind::Call, 0, it, OldLogprob, -1, t + 23.1,
                           t + 25.1, "actor.logprob"));
    events.push_back(event(Kind::Transfer, 1, it, Values, -1, t + 21.0,
                           t + 21.3, "transfer gen -> values"));
    events.push_back(
        event(Kind::Onload, 1, it, -1, 2, t + 21.0, t + 21.4, "onload critic"));
    events.push_back(event(Kind::Call, 1, it, Values, -1, t + 21.4, t + 24.6,
                           "critic.value"));
    events.push_back(event(Kind::Transfer, 2, it, Reward, -1, t + 21.0,
                           t + 21.2, "transfer gen -> reward"));
    events.push_back(
        event(Kind::Call, 2, it, Reward, -1, t + 21.2, t + 22.8, "rm.score"));
    events.push_back(event(Kind::Call, 0, it, UpdateActor, -1, t + 25.1,
                           t + 34.9, "actor.update"));
    events.push_back(event(Kind::Call, 1, it, UpdateCritic, -1, t + 24.6,
                           t + 31.0, "critic.update"));
    events.push_back(event(Kind::Offload, 1, it, -1, 2, t + 31.0, t + 31.4,
                           "offload critic"));
  }
  const ModelArch &llama = problem.workload.models[0].arch;
  auto phase = [&](int group, std::string name, MemoryLedger ledger) {
    evaluation.memory.push_back({group, std::move(name), ledger});
  };
  MemoryLedger actorTrain = trainingMemory(llama, plan.layouts[0].train, 1024);
  MemoryLedger refWeights = generationMemory(llama, 2, 1, 0, 1024);
  MemoryLedger gen = generationMemory(llama, 2, 1, 128, 1024);
  gen.weights += refWeights.weights;
  phase(0, "gen", gen);
  MemoryLedger forward = refWeights;
  forward.weights *= 2;
  forward.activations = 2.5 * kGiB;
  forward.buffers = 1.0 * kGiB;
  phase(0, "ref_logprob", forward);
  phase(0, "old_logprob", forward);
  MemoryLedger update = actorTrain;
  update.weights += refWeights.weights;
  phase(0, "update_actor", update);
  phase(1, "values", forward);
  phase(1, "update_critic", trainingMemory(llama, plan.layouts[2].train, 1024));
  phase(2, "reward", forward);
  evaluation.groupBusySeconds = {34.9, 10.4, 1.8};
  return evaluation;
}

StrategyResult ppoResult() {
  PlanProblem problem = ppoProblem();
  StrategyResult result;
  result.found = true;
  result.best.plan = ppoPlan();
  result.best.evaluation = ppoEvaluation(problem, result.best.plan);
  result.plansEvaluated = 1234;
  result.plansPruned = 567;
  result.runnersUp = {
      {"{actor, ref} x 8 | {critic, rm} x 8", "41.200 s/step, 18 % slower",
       41.2},
      {"{actor, ref, critic, rm} x 16", "44.000 s/step, 26 % slower", 44.0},
      {"{actor} x 8 | {ref, critic, rm} x 8",
       "group {actor} x 8 during update: needs 93.1 GiB of 73.6 GiB usable", 0},
      {"{actor} x 12 | {ref, critic, rm} x 4", "the fourth one", 50.0}};
  return result;
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size()))
    ++n;
  return n;
}

/// Empty when `svg` is well-formed as far as tags go: every element closed
/// in order, no stray '<' or unescaped '&' in text and attributes; else the
/// first problem.
std::string tagBalanceProblem(const std::string &svg) {
  std::vector<std::string> open;
  size_t at = 0;
  while (at < svg.size()) {
    char c = svg[at];
    if (c == '&') {
      size_t end = svg.find(';', at);
      std::string entity =
          end == std::string::npos ? "" : svg.substr(at, end - at + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" &&
          entity != "&quot;" && entity != "&apos;")
        return "bare & at " + std::to_string(at);
      at = end + 1;
      continue;
    }
    if (c == '>')
      return "stray > at " + std::to_string(at);
    if (c != '<') {
      ++at;
      continue;
    }
    size_t end = at + 1;
    bool quoted = false;
    while (end < svg.size() && (quoted || svg[end] != '>')) {
      if (svg[end] == '"')
        quoted = !quoted;
      if (!quoted && svg[end] == '<')
        return "'<' inside a tag at " + std::to_string(end);
      if (quoted && (svg[end] == '<' || svg[end] == '>'))
        return "unescaped angle bracket in an attribute at " +
               std::to_string(end);
      ++end;
    }
    if (end >= svg.size())
      return "unterminated tag at " + std::to_string(at);
    std::string tag = svg.substr(at + 1, end - at - 1);
    at = end + 1;
    if (tag.front() == '?' || tag.front() == '!')
      continue;
    if (tag.front() == '/') {
      std::string name = tag.substr(1);
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes " +
               (open.empty() ? std::string("nothing")
                             : "<" + open.back() + ">");
      open.pop_back();
      continue;
    }
    if (tag.back() == '/')
      continue;
    open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
  }
  if (!open.empty())
    return "<" + open.back() + "> never closed";
  return "";
}

/// Every `<rect ... class="NAME" ...>` as its attributes.
std::vector<std::map<std::string, std::string>>
rectsOfClass(const std::string &svg, const std::string &name) {
  std::vector<std::map<std::string, std::string>> rects;
  std::regex rect("<rect ([^>]*)>");
  std::regex attribute("([a-z-]+)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect);
       it != std::sregex_iterator(); ++it) {
    std::string body = (*it)[1];
    std::map<std::string, std::string> attributes;
    for (auto a = std::sregex_iterator(body.begin(), body.end(), attribute);
         a != std::sregex_iterator(); ++a)
      attributes[(*a)[1]] = (*a)[2];
    if (attributes["class"] == name)
      rects.push_back(attributes);
  }
  return rects;
}

TEST(PlanTimelineTest, OneNamedTrackPerGroupAndOneEventPerSimEvent) {
  PlanProblem problem = ppoProblem();
  Plan plan = ppoPlan();
  Evaluation evaluation = ppoEvaluation(problem, plan);
  nlohmann::json trace =
      nlohmann::json::parse(planTimelineJson(problem, plan, evaluation));
  ASSERT_TRUE(trace["traceEvents"].is_array());

  std::map<int, std::string> trackNames;
  std::vector<nlohmann::json> complete;
  for (const nlohmann::json &entry : trace["traceEvents"]) {
    if (entry["ph"] == "M" && entry["name"] == "thread_name")
      trackNames[entry["tid"].get<int>()] = entry["args"]["name"];
    if (entry["ph"] == "X")
      complete.push_back(entry);
  }
  EXPECT_EQ(trackNames,
            (std::map<int, std::string>{{0, "group 0: actor, ref (GPUs 0-7)"},
                                        {1, "group 1: critic (GPUs 8-11)"},
                                        {2, "group 2: rm (GPUs 12-15)"}}));

  ASSERT_EQ(complete.size(), evaluation.events.size());
  for (size_t i = 0; i < complete.size(); ++i) {
    const SimEvent &expected = evaluation.events[i];
    const nlohmann::json &got = complete[i];
    EXPECT_EQ(got["name"], expected.label);
    EXPECT_EQ(got["tid"], expected.group);
    EXPECT_NEAR(got["ts"].get<double>(), expected.start * 1e6, 1e-3);
    EXPECT_NEAR(got["dur"].get<double>(), (expected.end - expected.start) * 1e6,
                1e-3);
    EXPECT_EQ(got["args"]["iteration"], expected.iteration);
    EXPECT_EQ(got["args"].contains("chunk"), expected.chunk >= 0);
  }
  EXPECT_EQ(complete[1]["cat"], "call");
  EXPECT_EQ(complete[1]["args"]["chunk"], 0);
  EXPECT_EQ(complete[1]["args"]["call"], "gen");
  EXPECT_EQ(complete[0]["cat"], "reshard");
  EXPECT_EQ(complete[0]["args"]["model"], "actor");
}

TEST(PlanDotTest, EveryCallAndEdgeInBalancedClusters) {
  PlanProblem problem = ppoProblem();
  problem.workload.models[3].name = "the \"best\" rm";
  Plan plan = ppoPlan();
  Evaluation evaluation = ppoEvaluation(problem, plan);
  std::string dot = planDot(problem, plan, evaluation);

  const auto &calls = problem.workload.calls;
  size_t edges = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_NE(dot.find(fmt::format("c{} [label=\"{}\\n", i, calls[i].id)),
              std::string::npos)
        << calls[i].id;
    EXPECT_NE(dot.find(fmt::format("\\n{:.3f} s\"", kSeconds[i])),
              std::string::npos);
    for (int input : calls[i].inputs) {
      EXPECT_NE(dot.find(fmt::format("c{} -> c{}", input, i)),
                std::string::npos);
      ++edges;
    }
  }
  EXPECT_EQ(count(dot, " -> "), edges);
  EXPECT_EQ(count(dot, "subgraph cluster_group"), plan.groups.size());
  EXPECT_NE(dot.find("label=\"group 1: critic (GPUs 8-11)\""),
            std::string::npos);
  EXPECT_NE(dot.find("dp4 tp2 (generation)"), std::string::npos);
  // A reading call on another group than the writer: a dashed transfer.
  EXPECT_NE(dot.find("c0 -> c3 [style=dashed"), std::string::npos);
  EXPECT_EQ(dot.find("c0 -> c1 [style=dashed"), std::string::npos);
  EXPECT_NE(dot.find("the \\\"best\\\" rm.score"), std::string::npos);

  // Braces balance outside quoted strings; quotes pair up on every line.
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < dot.size(); ++i) {
    char c = dot[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '{')
      ++depth;
    else if (!quoted && c == '}')
      --depth;
    ASSERT_GE(depth, 0);
    if (c == '\n') {
      ASSERT_FALSE(quoted) << "a quoted string runs over a line end";
    }
  }
  EXPECT_EQ(depth, 0);
  EXPECT_FALSE(quoted);
}

TEST(PlanGanttSvgTest, WellFormedOneBarPerEventScaledByTime) {
  PlanProblem problem = ppoProblem();
  problem.workload.models[3].name = "r<m & co";
  Plan plan = ppoPlan();
  Evaluation evaluation = ppoEvaluation(problem, plan);
  std::string svg = planGanttSvg(problem, plan, evaluation);

  EXPECT_EQ(tagBalanceProblem(svg), "");
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "version=\"1.1\" width=\"1200\""),
            std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 1200 "), std::string::npos);
  EXPECT_NE(svg.find("r&lt;m &amp; co"), std::string::npos);
  EXPECT_EQ(svg.find("r<m"), std::string::npos);
  EXPECT_NE(svg.find("search, 34.900 s per step"), std::string::npos);

  auto bars = rectsOfClass(svg, "bar");
  ASSERT_EQ(bars.size(), evaluation.events.size());
  // x is linear in the start and width proportional to the duration, with
  // the same pixels per second: the scale from the first event (at 0 s)
  // and the last to start.
  size_t last = 0;
  for (size_t i = 0; i < bars.size(); ++i)
    if (evaluation.events[i].start > evaluation.events[last].start)
      last = i;
  ASSERT_EQ(evaluation.events[0].start, 0);
  double origin = std::stod(bars[0]["x"]);
  double pixelsPerSecond =
      (std::stod(bars[last]["x"]) - origin) / evaluation.events[last].start;
  EXPECT_GT(pixelsPerSecond, 10);
  for (size_t i = 0; i < bars.size(); ++i) {
    const SimEvent &event = evaluation.events[i];
    double x = std::stod(bars[i]["x"]);
    double width = std::stod(bars[i]["width"]);
    EXPECT_NEAR(width, (event.end - event.start) * pixelsPerSecond, 0.02);
    EXPECT_NEAR(x, origin + event.start * pixelsPerSecond, 0.02);
    EXPECT_LE(x + width, 1200);
  }
  EXPECT_EQ(bars[1]["data-kind"], "generate");
  EXPECT_EQ(bars[0]["data-kind"], "reshard");
  // The axis is in seconds and reaches past the last event (69.8 s).
  EXPECT_NE(svg.find(">70</text>"), std::string::npos);
  EXPECT_NE(svg.find(">time (s)</text>"), std::string::npos);
  // The legend names the kinds that occur, and only those.
  EXPECT_NE(svg.find(">update</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">value</text>"), svg.rfind(">value</text>"));
}

TEST(PlanMemorySvgTest, StackedLedgerAgainstCapacity) {
  PlanProblem problem = ppoProblem();
  problem.workload.models[2].name = "critic<&>";
  Plan plan = ppoPlan();
  Evaluation evaluation = ppoEvaluation(problem, plan);
  std::string svg = planMemorySvg(problem, plan, evaluation);

  EXPECT_EQ(tagBalanceProblem(svg), "");
  EXPECT_NE(svg.find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg.find("critic&lt;&amp;&gt;"), std::string::npos);

  size_t nonZero = 0;
  for (const PhaseMemory &phase : evaluation.memory)
    for (double bytes :
         {phase.ledger.weights, phase.ledger.gradients, phase.ledger.optimizer,
          phase.ledger.activations, phase.ledger.kvCache, phase.ledger.buffers})
      nonZero += bytes > 0;
  auto segments = rectsOfClass(svg, "segment");
  EXPECT_EQ(segments.size(), nonZero);
  // Segments of one bar stack: the heights of the gen bar add up to its
  // total, in the same pixels per GiB as every other bar.
  double genPixels = 0;
  for (auto &segment : segments)
    if (segment.count("x") && segment["x"] == segments[0]["x"])
      genPixels += std::stod(segment["height"]);
  double updatePixels = 0;
  std::string updateX;
  for (auto &segment : segments)
    if (segment["data-kind"] == "optimizer") {
      updateX = segment["x"];
      break;
    }
  for (auto &segment : segments)
    if (segment["x"] == updateX)
      updatePixels += std::stod(segment["height"]);
  EXPECT_NEAR(genPixels / updatePixels,
              evaluation.memory[0].ledger.total() /
                  evaluation.memory[3].ledger.total(),
              1e-3);

  EXPECT_NE(svg.find("class=\"usable\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"capacity\""), std::string::npos);
  EXPECT_NE(svg.find(">usable 73.7 GiB</text>"), std::string::npos);
  EXPECT_NE(svg.find(">device 79.6 GiB</text>"), std::string::npos);
  EXPECT_NE(svg.find(">GiB per GPU</text>"), std::string::npos);
  for (const char *kind : {"weights", "gradients", "optimizer", "activations",
                           "kvCache", "buffers"})
    EXPECT_NE(svg.find(fmt::format(">{}</text>", kind)), std::string::npos)
        << kind;
  for (const PhaseMemory &phase : evaluation.memory)
    EXPECT_NE(svg.find(">" + phase.phase + "</text>"), std::string::npos);
}

TEST(PlanReportTest, ListsLayoutsGroupsMemoryTimesAndRunnersUp) {
  PlanProblem problem = ppoProblem();
  StrategyResult result = ppoResult();
  std::string report = planReport(problem, result);

  EXPECT_NE(report.find("2 nodes x 8 H100-80GB (16 devices"),
            std::string::npos);
  EXPECT_NE(report.find("search (1234 plans evaluated, 567 pruned)"),
            std::string::npos);
  EXPECT_NE(report.find("{actor, ref} x 8 | {critic} x 4 | {rm} x 4"),
            std::string::npos);
  for (const char *gpus : {"GPUs 0-7", "GPUs 8-11", "GPUs 12-15"})
    EXPECT_NE(report.find(gpus), std::string::npos) << gpus;

  // Every call with its layout: generation over generateTp, forward
  // passes without checkpointing, a frozen model without ZeRO, offload.
  const std::vector<std::vector<std::string>> layouts = {
      {"gen", "actor.generate", "dp4 tp2 (generation)"},
      {"ref_logprob", "ref.logprob", "dp4 tp2 pp1 zero0 mb4"},
      {"old_logprob", "actor.logprob", "dp4 tp2 pp1 zero1 mb2"},
      {"values", "critic.value", "dp2 tp2 pp1 zero1 mb2 offload"},
      {"reward", "rm.score", "dp4 tp1 pp1 zero0 mb8"},
      {"update_actor", "actor.update", "dp4 tp2 pp1 zero1 mb2 ckpt"},
      {"update_critic", "critic.update", "dp2 tp2 pp1 zero1 mb2 ckpt offload"}};
  for (const auto &call : layouts) {
    size_t line = report.find("\n  " + call[0] + " ");
    ASSERT_NE(line, std::string::npos) << call[0];
    std::string text =
        report.substr(line + 1, report.find('\n', line + 1) - line);
    EXPECT_NE(text.find(" " + call[1] + " "), std::string::npos) << text;
    EXPECT_NE(text.find(" " + call[2] + "  "), std::string::npos) << text;
  }
  EXPECT_NE(report.find("20.500"), std::string::npos);

  // Memory: each phase's peak as a percentage of usable memory.
  const Evaluation &evaluation = result.best.evaluation;
  double usable = (79.6 - 2.0) * 0.95 * kGiB;
  for (const PhaseMemory &phase : evaluation.memory)
    EXPECT_NE(report.find(
                  fmt::format("{:.1f} %", 100 * phase.ledger.total() / usable)),
              std::string::npos)
        << phase.phase;
  EXPECT_NE(report.find("usable 73.7 GiB of 79.6 GiB"), std::string::npos);
  EXPECT_NE(report.find("optimizer "), std::string::npos);

  // Time per phase kind and per step, throughput.
  for (const char *line : {"  generation    20.500 s  sum of its calls",
                           "  inference      8.900 s  sum of its calls",
                           "  training      16.200 s  sum of its calls",
                           "  all calls     45.600 s  run one by one",
                           "  step          34.900 s  simulated",
                           "  group 1 busy  10.400 s   29.8 % of the step"})
    EXPECT_NE(report.find(line), std::string::npos) << line;
  EXPECT_NE(
      report.find(fmt::format("{:.1f} generated tokens/s", 512.0 * 512 / 34.9)),
      std::string::npos);

  // The three best runners-up with their reasons, not the fourth.
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NE(report.find(fmt::format("{}. {}", i + 1,
                                      result.runnersUp[i].description)),
              std::string::npos);
    EXPECT_NE(report.find(result.runnersUp[i].reason), std::string::npos);
  }
  EXPECT_EQ(report.find("the fourth one"), std::string::npos);
  EXPECT_EQ(report, planReport(problem, result)) << "deterministic";
}

TEST(PlanReportTest, NothingFoundGivesTheErrorAndHint) {
  PlanProblem problem = ppoProblem();
  StrategyResult result;
  result.best.plan.strategy = "search";
  result.error = "no placement of 4 models on 16 H100-80GB fits memory";
  result.hint = "add devices, or set zero = 3 on actor.update";
  result.plansEvaluated = 40;
  result.plansPruned = 40;
  result.runnersUp = {
      {"{actor, ref, critic, rm} x 16",
       "group {actor, ref, critic, rm} x 16 during update: needs 93.1 GiB "
       "of 73.6 GiB usable",
       0}};
  std::string report = planReport(problem, result);
  EXPECT_NE(report.find("No plan found: " + result.error), std::string::npos);
  EXPECT_NE(report.find("hint: " + result.hint), std::string::npos);
  EXPECT_NE(report.find("40 plans evaluated, 40 pruned"), std::string::npos);
  EXPECT_NE(report.find(result.runnersUp[0].reason), std::string::npos);
  EXPECT_EQ(report.find("Calls:"), std::string::npos);
  EXPECT_EQ(report.find("Memory:"), std::string::npos);
}

// Writes every output of the sample plan to $RLG_PLAN_SAMPLES_DIR, to look
// at (rsvg-convert, dot -Tsvg, ui.perfetto.dev).
TEST(PlanOutputSamples, WriteWhenAsked) {
  const char *dir = std::getenv("RLG_PLAN_SAMPLES_DIR");
  if (!dir)
    GTEST_SKIP() << "set RLG_PLAN_SAMPLES_DIR to write sample outputs";
  PlanProblem problem = ppoProblem();
  StrategyResult result = ppoResult();
  const Plan &plan = result.best.plan;
  const Evaluation &evaluation = result.best.evaluation;
  std::string base = std::string(dir) + "/ppo-plan";
  std::ofstream(base + ".txt") << planReport(problem, result);
  std::ofstream(base + ".trace.json")
      << planTimelineJson(problem, plan, evaluation);
  std::ofstream(base + ".dot") << planDot(problem, plan, evaluation);
  std::ofstream(base + ".gantt.svg") << planGanttSvg(problem, plan, evaluation);
  std::ofstream(base + ".memory.svg")
      << planMemorySvg(problem, plan, evaluation);
}

} // namespace
