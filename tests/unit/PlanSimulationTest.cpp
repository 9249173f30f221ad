// The simulator against hand-derived timelines: serial groups, overlap of
// disjoint groups, streamed generation, off-policy steps, offloading.
#include "PlannerTestSupport.h"

#include "rlg/Planner/CallCosts.h"
#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/Simulation.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;
using namespace rlg::planner::testing;

namespace {

ModelLayout layoutOf(int64_t dp, int64_t tp, int64_t pp, int64_t genTp,
                     int zero = 0, int64_t micro = 1) {
  ModelLayout layout;
  layout.train = TrainLayout{dp, tp, pp, zero, micro, 1, false};
  layout.generateTp = genTp;
  return layout;
}

/// GRPO with Qwen2.5-1.5B, 64 x 8 samples, on one node of 8.
PlanProblem smallGrpo() {
  return grpoProblem("qwen2.5-1.5b", 64, 8, 256, 512, makeCluster(1, 8));
}

Plan colocated(const PlanProblem &problem, ModelLayout actor,
               ModelLayout ref) {
  Plan plan;
  plan.groups = {{{0, 1}, 0, problem.cluster.deviceCount()}};
  plan.layouts = {actor, ref};
  return plan;
}

TEST(PlanSimulationTest, ColocatedStepIsTheSumOfItsCalls) {
  PlanProblem problem = smallGrpo();
  Plan plan = colocated(problem, layoutOf(4, 2, 1, 1), layoutOf(8, 1, 1, 1));
  Evaluation evaluation = evaluatePlan(problem, plan);
  ASSERT_TRUE(evaluation.feasible) << evaluation.reason;
  // One group runs everything in turn: its calls, and the reshard from
  // training tp 2 to generation tp 1, which needs no gather (tp 1 is not a
  // multiple of 2 ... so it does): all in sequence.
  double sum = generationReshardSeconds(problem, 0, plan.layouts[0], 8);
  for (const CallCost &cost : evaluation.calls)
    sum += cost.seconds;
  EXPECT_NEAR(evaluation.stepSeconds, sum, 1e-9 * sum);
  EXPECT_NEAR(evaluation.groupBusySeconds[0], sum, 1e-9 * sum);
  EXPECT_NEAR(evaluation.tokensPerSecond, 512.0 * 512 / sum, 1e-6);
  // Six iterations of four calls and a reshard each.
  EXPECT_EQ(evaluation.events.size(), 6u * 5u);
}

TEST(PlanSimulationTest, DisjointGroupsOverlap) {
  // actor on 4 devices, ref on the other 4: the reference's log-probs run
  // beside the actor's, so the step is shorter than the sum.
  PlanProblem problem = smallGrpo();
  Plan plan;
  plan.groups = {{{0}, 0, 4}, {{1}, 4, 4}};
  plan.layouts = {layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1)};
  Evaluation evaluation = evaluatePlan(problem, plan);
  ASSERT_TRUE(evaluation.feasible) << evaluation.reason;
  const std::vector<CallCost> &c = evaluation.calls;
  double serial = c[0].seconds + c[1].seconds + c[2].seconds + c[3].seconds;
  EXPECT_LT(evaluation.stepSeconds, serial);
  // The actor's chain gen -> old_lp -> update bounds it from below, and the
  // reference log-probs (after a transfer of the rollouts) from above.
  EXPECT_GE(evaluation.stepSeconds,
            c[0].seconds + c[1].seconds + c[3].seconds - 1e-9);
  bool transferred = false;
  for (const SimEvent &event : evaluation.events)
    transferred |= event.kind == SimEvent::Kind::Transfer;
  EXPECT_TRUE(transferred);
}

TEST(PlanSimulationTest, OffPolicyOverlapsGenerationWithTraining) {
  PlanProblem problem = ppoProblem("qwen2.5-1.5b", 256, 256, 512,
                                   makeCluster(1, 8));
  Plan plan;
  // actor + ref generate and train on 4; critic and rm on 4.
  plan.groups = {{{0, 1}, 0, 4}, {{2, 3}, 4, 4}};
  plan.layouts = {layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1),
                  layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1)};
  Evaluation onPolicy = evaluatePlan(problem, plan);
  problem.workload.overlap.kind = Overlap::Kind::OffPolicy;
  problem.workload.overlap.staleness = 1;
  Evaluation offPolicy = evaluatePlan(problem, plan);
  ASSERT_TRUE(onPolicy.feasible && offPolicy.feasible);
  EXPECT_LT(offPolicy.stepSeconds, onPolicy.stepSeconds);
  // Still no faster than the busiest group.
  for (double busy : offPolicy.groupBusySeconds)
    EXPECT_GE(offPolicy.stepSeconds, busy - 1e-9);
}

TEST(PlanSimulationTest, StreamingScoresPiecesWhileTheRestGenerates) {
  PlanProblem problem = ppoProblem("qwen2.5-1.5b", 256, 256, 512,
                                   makeCluster(1, 8));
  Plan plan;
  plan.groups = {{{0, 1}, 0, 4}, {{2, 3}, 4, 4}};
  plan.layouts = {layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1),
                  layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1)};
  Evaluation whole = evaluatePlan(problem, plan);
  problem.workload.overlap.kind = Overlap::Kind::Stream;
  problem.workload.overlap.chunks = 4;
  Evaluation streamed = evaluatePlan(problem, plan);
  ASSERT_TRUE(whole.feasible && streamed.feasible);
  EXPECT_LT(streamed.stepSeconds, whole.stepSeconds);
  int chunks = 0;
  for (const SimEvent &event : streamed.events)
    chunks += event.iteration == 0 && event.chunk >= 0;
  // gen, values and reward in 4 pieces each.
  EXPECT_EQ(chunks, 12);
}

TEST(PlanSimulationTest, OffloadTradesHostTrafficForMemory) {
  PlanProblem problem = smallGrpo();
  ModelLayout actor = layoutOf(4, 2, 1, 2);
  Plan resident = colocated(problem, actor, layoutOf(8, 1, 1, 1));
  actor.offload = true;
  Plan offloaded = colocated(problem, actor, layoutOf(8, 1, 1, 1));
  Evaluation a = evaluatePlan(problem, resident);
  Evaluation b = evaluatePlan(problem, offloaded);
  ASSERT_TRUE(a.feasible && b.feasible);
  // During ref_lp the offloaded actor holds nothing on the device.
  EXPECT_LT(b.memory[2].ledger.total(), a.memory[2].ledger.total());
  int moves = 0;
  for (const SimEvent &event : b.events)
    moves += event.kind == SimEvent::Kind::Onload ||
             event.kind == SimEvent::Kind::Offload;
  EXPECT_EQ(moves, 2 * 6);
  double host = offloadSeconds(problem, 0, actor, 8);
  EXPECT_GT(host, 0);
  EXPECT_NEAR(b.stepSeconds - a.stepSeconds,
              2 * host + (b.calls[0].seconds - a.calls[0].seconds) +
                  (b.calls[1].seconds - a.calls[1].seconds) +
                  (b.calls[3].seconds - a.calls[3].seconds),
              1e-6);
}

TEST(PlanSimulationTest, MemoryTooSmallIsExplained) {
  // Llama-70B trained on one device cannot fit.
  PlanProblem problem = grpoProblem("llama-70b", 8, 2, 128, 128,
                                    makeCluster(1, 1));
  Plan plan = colocated(problem, layoutOf(1, 1, 1, 1), layoutOf(1, 1, 1, 1));
  Evaluation evaluation = evaluatePlan(problem, plan);
  EXPECT_FALSE(evaluation.feasible);
  EXPECT_NE(evaluation.reason.find("GiB"), std::string::npos)
      << evaluation.reason;
}

TEST(PlanSimulationTest, BadStructureIsRejected) {
  PlanProblem problem = smallGrpo();
  Plan plan = colocated(problem, layoutOf(3, 1, 1, 1), layoutOf(8, 1, 1, 1));
  plan.layouts[0].train.tp = 3; // 3 does not divide 8 devices
  EXPECT_NE(infeasibility(problem, plan).find("does not divide"),
            std::string::npos);
  Plan overlapping;
  overlapping.groups = {{{0}, 0, 4}, {{1}, 2, 4}};
  overlapping.layouts = {layoutOf(4, 1, 1, 1), layoutOf(4, 1, 1, 1)};
  EXPECT_NE(infeasibility(problem, overlapping).find("overlap"),
            std::string::npos);
}

} // namespace
