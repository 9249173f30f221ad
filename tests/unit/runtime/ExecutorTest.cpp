// The executor on a real schedule (the documented GRPO example): weights
// that are not finite give a clear error, never a crash, and a loss that is
// not finite stops the update before any weight moves.
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Schedule/ScheduleIO.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

using namespace rlg;
using namespace rlg::runtime;

namespace {

class ExecutorTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::vector<schedule::ScheduleError> errors;
    ASSERT_TRUE(schedule::readScheduleFile(RLG_SCHEDULE_EXAMPLE, plan, errors));
    options.quiet = true;
    run = std::make_unique<RunContext>(plan, options);
  }

  /// Runs the step's ops in order up to (not including) the first of
  /// `kind`, or all of them; returns that op.
  const schedule::Op *runUntil(schedule::OpKind kind) {
    const schedule::Step &step = plan.steps.at(0);
    for (const std::string &id : step.instructions.at(0)) {
      const schedule::Op *op = step.findOp(id);
      if (op->kind == kind)
        return op;
      runStepOp(*run, *op, values, metrics);
    }
    return nullptr;
  }

  /// Sets actor's token embeddings to NaN: every forward pass yields NaN.
  void poisonActor() {
    torch::NoGradGuard noGrad;
    run->model("actor").model->named_parameters()["embed_tokens.weight"].fill_(
        NAN);
  }

  std::map<std::string, at::Tensor> actorWeights() {
    std::map<std::string, at::Tensor> out;
    for (const auto &item : run->model("actor").model->named_parameters())
      out[item.key()] = item.value().detach().clone();
    return out;
  }

  schedule::Schedule plan;
  RunOptions options;
  std::unique_ptr<RunContext> run;
  StepValues values;
  MetricMap metrics;
};

TEST_F(ExecutorTest, NonFiniteWeightsStopGenerationWithAClearError) {
  poisonActor();
  const schedule::Op *generate = runUntil(schedule::OpKind::Generate);
  ASSERT_NE(generate, nullptr);
  try {
    runStepOp(*run, *generate, values, metrics);
    FAIL() << "generation with NaN weights did not stop";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("logits hold NaN"), std::string::npos)
        << e.what();
  }
}

TEST_F(ExecutorTest, NonFiniteLossStopsTheUpdateAndKeepsTheWeights) {
  const schedule::Op *update = runUntil(schedule::OpKind::Update);
  ASSERT_NE(update, nullptr);
  poisonActor(); // after sampling and scoring: the update's loss is NaN
  auto before = actorWeights();
  try {
    runStepOp(*run, *update, values, metrics);
    FAIL() << "an update with a NaN loss went through";
  } catch (const RunError &e) {
    EXPECT_NE(
        std::string(e.what()).find("the loss of 'actor' is not finite (nan)"),
        std::string::npos)
        << e.what();
    EXPECT_NE(e.hint.find("lower the model's lr"), std::string::npos) << e.hint;
  }
  EXPECT_EQ(run->model("actor").optimizerSteps, 0);
  for (const auto &[name, weight] : actorWeights())
    EXPECT_TRUE(torch::equal(weight.nan_to_num(), before[name].nan_to_num()))
        << name << " changed";
}

} // namespace
