// The strategies: the search never loses to a fixed placement, finds the
// exhaustive optimum where enumeration is possible, never exceeds memory,
// keeps pins, is deterministic, and explains what would fit.
#include "PlannerTestSupport.h"

#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/PlanSearch.h"
#include "rlg/Planner/SearchSpace.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;
using namespace rlg::planner::testing;

namespace {

const char *const kBaselines[] = {"colocate", "split", "standalone"};

/// Realistic problems small enough for a unit test.
std::vector<PlanProblem> problems() {
  std::vector<PlanProblem> list;
  list.push_back(
      grpoProblem("qwen2.5-1.5b", 64, 8, 256, 1024, makeCluster(1, 8)));
  list.push_back(
      grpoProblem("qwen2.5-7b", 128, 8, 512, 1024, makeCluster(2, 8)));
  list.push_back(ppoProblem("llama-7b", 512, 512, 512, makeCluster(1, 8)));
  list.push_back(ppoProblem("llama-13b", 1024, 1024, 1024, makeCluster(8, 8)));
  list.push_back(ppoProblem("llama-70b", 512, 1024, 512, makeCluster(8, 8)));
  PlanProblem offPolicy =
      ppoProblem("llama-7b", 1024, 1024, 1024, makeCluster(4, 8));
  offPolicy.workload.overlap = {Overlap::Kind::OffPolicy, 1, 0};
  list.push_back(offPolicy);
  return list;
}

TEST(PlanSearchTest, SearchIsNeverWorseThanAFixedPlacement) {
  for (const PlanProblem &problem : problems()) {
    StrategyResult search = runStrategy("search", problem);
    ASSERT_TRUE(search.found) << search.error;
    for (const char *baseline : kBaselines) {
      StrategyResult fixed = runStrategy(baseline, problem);
      if (!fixed.found)
        continue;
      EXPECT_LE(search.best.evaluation.stepSeconds,
                fixed.best.evaluation.stepSeconds * (1 + 1e-12))
          << baseline << " on " << describeCluster(problem.cluster);
    }
  }
}

TEST(PlanSearchTest, PlansNeverExceedMemory) {
  for (const PlanProblem &problem : problems())
    for (const StrategyInfo &strategy : strategies()) {
      if (strategy.name == "exhaustive")
        continue;
      StrategyResult result = runStrategy(strategy.name, problem);
      if (!result.found)
        continue;
      const Evaluation &evaluation = result.best.evaluation;
      ASSERT_TRUE(evaluation.feasible);
      ASSERT_EQ(evaluation.memory.size(), problem.workload.calls.size());
      for (const PhaseMemory &phase : evaluation.memory)
        EXPECT_LE(phase.ledger.total(), usableBytes(problem.cluster.device))
            << strategy.name << " " << phase.phase;
    }
}

TEST(PlanSearchTest, FindsTheExhaustiveOptimumOnSmallProblems) {
  std::vector<PlanProblem> small;
  small.push_back(
      grpoProblem("qwen2.5-0.5b", 16, 4, 128, 256, makeCluster(1, 2)));
  small.push_back(
      grpoProblem("qwen2.5-1.5b", 32, 4, 256, 512, makeCluster(1, 4)));
  small.push_back(grpoProblem("qwen2.5-7b", 8, 4, 256, 512, makeCluster(1, 2)));
  // Four models sharing one device: the branch and bound over a group.
  small.push_back(
      ppoProblem("qwen2.5-0.5b", 16, 128, 256, makeCluster(1, 1), 2));
  for (const PlanProblem &problem : small) {
    StrategyResult exhaustive = exhaustiveSearch(problem, 2000000);
    ASSERT_TRUE(exhaustive.found) << exhaustive.error;
    StrategyResult search = runStrategy("search", problem);
    ASSERT_TRUE(search.found);
    EXPECT_NEAR(search.best.evaluation.stepSeconds,
                exhaustive.best.evaluation.stepSeconds,
                1e-9 * exhaustive.best.evaluation.stepSeconds)
        << describeCluster(problem.cluster) << " after "
        << exhaustive.plansEvaluated << " plans";
  }
}

TEST(PlanSearchTest, ExhaustiveRefusesLargeSpaces) {
  PlanProblem problem =
      ppoProblem("llama-7b", 1024, 1024, 1024, makeCluster(16, 8));
  StrategyResult result = exhaustiveSearch(problem, 1000);
  EXPECT_FALSE(result.found);
  EXPECT_NE(result.error.find("too many"), std::string::npos);
  EXPECT_NE(result.hint.find("search"), std::string::npos);
}

TEST(PlanSearchTest, IsDeterministic) {
  PlanProblem problem =
      ppoProblem("llama-13b", 1024, 1024, 1024, makeCluster(8, 8));
  StrategyResult a = runStrategy("search", problem);
  StrategyResult b = runStrategy("search", problem);
  ASSERT_TRUE(a.found && b.found);
  std::vector<std::string> names{"actor", "ref", "critic", "rm"};
  EXPECT_EQ(describePartition(a.best.plan, names),
            describePartition(b.best.plan, names));
  for (size_t m = 0; m < names.size(); ++m)
    EXPECT_EQ(describeLayout(a.best.plan.layouts[m].train),
              describeLayout(b.best.plan.layouts[m].train));
  EXPECT_EQ(a.best.evaluation.stepSeconds, b.best.evaluation.stepSeconds);
  EXPECT_EQ(a.runnersUp.size(), b.runnersUp.size());
}

TEST(PlanSearchTest, KeepsTheRunnersUpWithReasons) {
  PlanProblem problem =
      ppoProblem("llama-13b", 1024, 1024, 1024, makeCluster(8, 8));
  StrategyResult result = runStrategy("search", problem);
  ASSERT_TRUE(result.found);
  ASSERT_EQ(result.runnersUp.size(), 3u);
  double previous = result.best.evaluation.stepSeconds;
  for (const Rejected &rejected : result.runnersUp) {
    EXPECT_GE(rejected.stepSeconds, previous);
    previous = rejected.stepSeconds;
    EXPECT_NE(rejected.reason.find(" s/step, "), std::string::npos);
    EXPECT_FALSE(rejected.description.empty());
  }
  EXPECT_GT(result.plansEvaluated, 0);
  EXPECT_GT(result.plansPruned, 0);
}

TEST(PlanSearchTest, NothingFitsNamesTheSmallestCluster) {
  // Four Llama-70B models on one node of eight H100s.
  PlanProblem problem =
      ppoProblem("llama-70b", 512, 1024, 512, makeCluster(1, 8));
  StrategyResult result = runStrategy("search", problem);
  EXPECT_FALSE(result.found);
  EXPECT_NE(result.error.find("GiB"), std::string::npos) << result.error;
  EXPECT_NE(result.hint.find("smallest cluster"), std::string::npos)
      << result.hint;
  // The named cluster does fit, and half of it does not.
  size_t at = result.hint.find(": ") + 2;
  int64_t nodes = std::stoll(result.hint.substr(at));
  problem.cluster.nodes = nodes;
  EXPECT_TRUE(runStrategy("search", problem).found);
  problem.cluster.nodes = nodes - 1;
  EXPECT_FALSE(runStrategy("search", problem).found);
}

TEST(PlanSearchTest, KeepsPinsAndExplainsImpossibleOnes) {
  PlanProblem problem =
      ppoProblem("llama-7b", 512, 512, 512, makeCluster(2, 8));
  LayoutPin pin;
  pin.model = 0;
  pin.kind = CallKind::Update;
  pin.tp = 4;
  pin.zero = 1;
  problem.workload.pins = {pin};
  LayoutPin generation;
  generation.model = 0;
  generation.kind = CallKind::Generate;
  generation.tp = 2;
  problem.workload.pins.push_back(generation);
  StrategyResult result = runStrategy("search", problem);
  ASSERT_TRUE(result.found) << result.error;
  EXPECT_EQ(result.best.plan.layouts[0].train.tp, 4);
  EXPECT_EQ(result.best.plan.layouts[0].train.zero, 1);
  EXPECT_EQ(result.best.plan.layouts[0].generateTp, 2);

  problem.workload.pins[0].tp = 3; // divides no group of 8
  StrategyResult impossible = runStrategy("search", problem);
  EXPECT_FALSE(impossible.found);
  EXPECT_NE(impossible.error.find("pins"), std::string::npos)
      << impossible.error;
  EXPECT_NE(impossible.hint.find("pins"), std::string::npos) << impossible.hint;
}

TEST(PlanSearchTest, PipelineStagesOnlyWhenAllowed) {
  // By default (what the runtime runs) no layout has pp > 1; with any
  // number allowed the candidates include them.
  PlanProblem problem =
      ppoProblem("llama-7b", 512, 512, 512, makeCluster(2, 8));
  auto largestPp = [&](const PlanProblem &p) {
    int64_t largest = 0;
    for (int64_t devices : {1, 2, 4, 8, 16})
      for (const ModelLayout &layout : layoutCandidates(p, 0, devices))
        largest = std::max(largest, layout.train.pp);
    return largest;
  };
  EXPECT_EQ(problem.maxPipelineStages, 1);
  EXPECT_EQ(largestPp(problem), 1);
  StrategyResult result = runStrategy("search", problem);
  ASSERT_TRUE(result.found) << result.error;
  for (const ModelLayout &layout : result.best.plan.layouts)
    EXPECT_EQ(layout.train.pp, 1);
  problem.maxPipelineStages = 0;
  EXPECT_GT(largestPp(problem), 1);
  problem.maxPipelineStages = 2;
  EXPECT_EQ(largestPp(problem), 2);

  // A pin of pp = 2 where only one stage is allowed says why.
  problem.maxPipelineStages = 1;
  LayoutPin pin;
  pin.model = 1;
  pin.kind = CallKind::Logprob;
  pin.pp = 2;
  problem.workload.pins = {pin};
  std::string why;
  EXPECT_TRUE(layoutCandidates(problem, 1, 8, &why).empty());
  EXPECT_EQ(why, "ref pins pp = 2, and this plan allows at most 1 pipeline "
                 "stage");
  EXPECT_FALSE(runStrategy("search", problem).found);
}

TEST(PlanSearchTest, KeepsColocationPins) {
  PlanProblem problem =
      ppoProblem("llama-7b", 1024, 1024, 1024, makeCluster(8, 8));
  problem.workload.colocate = {{0, 2}}; // actor with critic
  StrategyResult result = runStrategy("search", problem);
  ASSERT_TRUE(result.found);
  EXPECT_EQ(result.best.plan.groupOf(0), result.best.plan.groupOf(2));
  StrategyResult split = runStrategy("split", problem);
  EXPECT_FALSE(split.found);
  EXPECT_NE(split.error.find("colocates"), std::string::npos);
}

TEST(PlanSearchTest, UnknownStrategyListsTheKnownOnes) {
  StrategyResult result = runStrategy(
      "greedy", grpoProblem("qwen2.5-0.5b", 8, 2, 64, 64, makeCluster(1, 1)));
  EXPECT_FALSE(result.found);
  EXPECT_NE(result.hint.find("colocate, split, standalone"), std::string::npos)
      << result.hint;
}

TEST(PlanSearchTest, PartitionsKeepColocatedModelsTogether) {
  Workload workload =
      ppoProblem("qwen2.5-0.5b", 8, 8, 8, makeCluster(1, 1)).workload;
  EXPECT_EQ(modelPartitions(workload).size(), 15u); // Bell(4)
  workload.colocate = {{0, 1}};
  EXPECT_EQ(modelPartitions(workload).size(), 5u); // Bell(3)
}

TEST(PlanSearchTest, GroupSizesAreNodeAligned) {
  EXPECT_EQ(groupSizes(makeCluster(1, 8)), (std::vector<int64_t>{1, 2, 4, 8}));
  std::vector<int64_t> large = groupSizes(makeCluster(128, 8));
  EXPECT_EQ(large.front(), 1);
  EXPECT_EQ(large.back(), 1024);
  for (int64_t size : large)
    EXPECT_TRUE(size < 8 || size % 8 == 0) << size;
}

} // namespace
