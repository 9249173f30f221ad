// The planner's workload read from programs: calls, sizes, inputs, pins,
// colocation and overlap; the --set settings parsed and applied; and every
// program planned for a cluster to a schedule that validates.
#include "rlg/Analysis/PlannerWorkload.h"
#include "rlg/Analysis/ClusterPlacement.h"
#include "rlg/Analysis/PlanSettings.h"
#include "rlg/Compiler/CompilerContext.h"
#include "rlg/DSL/Frontend.h"
#include "rlg/Export/ExportSchedule.h"
#include "rlg/Lowering/LowerProgram.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace {

using rlg::planner::CallKind;

/// A program lowered and canonicalised; null on any error.
mlir::OwningOpRef<mlir::ModuleOp> canonical(mlir::MLIRContext &context,
                                            const std::string &file) {
  rlg::SourceManager sources;
  rlg::DiagnosticEngine diags(sources);
  std::string error;
  auto buffer = sources.addFile(file, error);
  if (!buffer)
    return nullptr;
  rlg::dsl::FrontendResult frontend =
      rlg::dsl::runFrontend(*buffer, sources, diags);
  if (diags.hasErrors())
    return nullptr;
  auto module = rlg::lowering::lowerProgram(context, frontend, sources, file);
  if (!module || mlir::failed(mlir::verify(*module)))
    return nullptr;
  mlir::PassManager pm(&context);
  rlg::buildCanonicalizePipeline(pm, rlg::PipelineOptions{});
  if (mlir::failed(pm.run(*module)))
    return nullptr;
  return module;
}

std::string program(const std::string &name) {
  return std::string(RLG_PROGRAMS_DIR) + "/" + name;
}

const rlg::planner::CallSpec *findCall(const rlg::planner::Workload &workload,
                                       const std::string &id) {
  for (const rlg::planner::CallSpec &call : workload.calls)
    if (call.id == id)
      return &call;
  return nullptr;
}

TEST(PlannerWorkload, PpoCallsSizesAndInputs) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = canonical(*context, program("ppo.rlg"));
  ASSERT_TRUE(module);
  auto extracted = rlg::analysis::extractWorkload(*module, {});
  ASSERT_TRUE(mlir::succeeded(extracted));
  const rlg::planner::Workload &workload = extracted->workload;
  EXPECT_EQ(extracted->step.getSymName(), "ppo");

  ASSERT_EQ(workload.models.size(), 4u);
  EXPECT_EQ(workload.models[0].name, "actor");
  EXPECT_TRUE(workload.models[0].trainable);
  EXPECT_FALSE(workload.models[workload.findModel("ref")].trainable);
  EXPECT_TRUE(workload.models[workload.findModel("critic")].trainable);
  EXPECT_EQ(workload.models[workload.findModel("rm")].arch.hidden, 128);

  std::vector<std::string> ids;
  for (const auto &call : workload.calls)
    ids.push_back(call.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ro", "old_lp", "ref_lp", "v", "r",
                                           "update_critic", "update_actor"}));
  // 32 prompts of "12+34=" (6 characters), one sample of 8 tokens each.
  const auto *ro = findCall(workload, "ro");
  EXPECT_EQ(ro->kind, CallKind::Generate);
  EXPECT_EQ(ro->sequences, 32);
  EXPECT_EQ(ro->batch, 32);
  EXPECT_EQ(ro->promptTokens, 6);
  EXPECT_EQ(ro->responseTokens, 8);
  // The reward model scores inside the reward.
  const auto *r = findCall(workload, "r");
  EXPECT_EQ(r->kind, CallKind::Score);
  EXPECT_EQ(workload.models[r->model].name, "rm");
  EXPECT_EQ(r->inputs, std::vector<int>{0});
  // The actor's update reads its log-probs and, through kl, add and gae,
  // every call before it.
  const auto *update = findCall(workload, "update_actor");
  EXPECT_EQ(update->kind, CallKind::Update);
  EXPECT_EQ(update->sequences, 32);
  EXPECT_EQ(update->minibatch, 16);
  EXPECT_EQ(update->epochs, 2);
  EXPECT_EQ(update->inputs, (std::vector<int>{1, 2, 3, 4}));
  const auto *critic = findCall(workload, "update_critic");
  EXPECT_EQ(critic->inputs, (std::vector<int>{1, 2, 3, 4}));

  // colocate(actor, ref, critic, rm); actor.generate { tp = 1 };
  // actor.update { zero = 0, checkpointing = true, offload = false }.
  ASSERT_EQ(workload.colocate.size(), 1u);
  EXPECT_EQ(workload.colocate[0].size(), 4u);
  ASSERT_EQ(workload.pins.size(), 2u);
  EXPECT_EQ(workload.pins[0].kind, CallKind::Generate);
  EXPECT_EQ(workload.pins[0].tp, 1);
  EXPECT_EQ(workload.pins[1].kind, CallKind::Update);
  EXPECT_EQ(workload.pins[1].zero, 0);
  EXPECT_EQ(workload.pins[1].checkpointing, true);
  EXPECT_EQ(workload.overlap.kind, rlg::planner::Overlap::Kind::None);
  EXPECT_TRUE(rlg::planner::checkWorkload(workload).empty());
}

TEST(PlannerWorkload, GrpoStreamsAndDpoCountsPairs) {
  auto context = rlg::compiler::createCompilerContext();
  auto grpo = canonical(*context, program("grpo.rlg"));
  ASSERT_TRUE(grpo);
  auto extracted = rlg::analysis::extractWorkload(*grpo, {});
  ASSERT_TRUE(mlir::succeeded(extracted));
  EXPECT_EQ(extracted->workload.overlap.kind,
            rlg::planner::Overlap::Kind::Stream);
  EXPECT_EQ(extracted->workload.overlap.chunks, 4);
  EXPECT_EQ(findCall(extracted->workload, "ro")->sequences, 16 * 8);

  auto dpo = canonical(*context, program("dpo.rlg"));
  ASSERT_TRUE(dpo);
  auto pairs = rlg::analysis::extractWorkload(*dpo, {});
  ASSERT_TRUE(mlir::succeeded(pairs));
  for (const auto &call : pairs->workload.calls)
    if (call.kind == CallKind::Update) {
      // A preference pair is two sequences, a chosen and a rejected one.
      EXPECT_EQ(call.sequences % 2, 0);
      EXPECT_EQ(call.responseTokens, rlg::analysis::kDefaultDataResponseTokens);
    }
  EXPECT_TRUE(rlg::planner::checkWorkload(pairs->workload).empty());
}

TEST(PlannerWorkload, PlansTheLongestStage) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = canonical(*context, program("sft_rm_ppo.rlg"));
  ASSERT_TRUE(module);
  rlg::ir::StepOp step = rlg::analysis::findPlannedStep(*module);
  ASSERT_TRUE(step);
  int64_t most = 0;
  std::string longest;
  for (auto run : module->getOps<rlg::ir::RunOp>())
    for (mlir::Attribute stage : run.getStages()) {
      auto dict = llvm::cast<mlir::DictionaryAttr>(stage);
      int64_t steps = dict.getAs<mlir::IntegerAttr>("steps").getInt();
      if (steps > most) {
        most = steps;
        longest = dict.getAs<mlir::FlatSymbolRefAttr>("step").getValue().str();
      }
    }
  EXPECT_EQ(step.getSymName(), longest);
}

TEST(PlanSettings, ParsesAndReportsEveryBadItem) {
  std::vector<std::string> models = {"actor", "ref"};
  rlg::analysis::PlanSettings settings;
  std::vector<rlg::analysis::SettingError> errors;
  EXPECT_TRUE(rlg::analysis::parsePlanSettings(
      {"prompts=1024", "samples=8", "prompt_tokens=512", "response_tokens=256",
       "iterations=3", "actor.model=llama-7b", "ref.preset=llama-13b"},
      models, settings, errors));
  EXPECT_EQ(settings.prompts, 1024);
  EXPECT_EQ(settings.samples, 8);
  EXPECT_EQ(settings.promptTokens, 512);
  EXPECT_EQ(settings.responseTokens, 256);
  EXPECT_EQ(settings.iterations, 3);
  EXPECT_EQ(settings.presets.at("actor"), "llama-7b");
  EXPECT_EQ(settings.presets.at("ref"), "llama-13b");

  rlg::analysis::PlanSettings bad;
  EXPECT_FALSE(rlg::analysis::parsePlanSettings(
      {"promts=4", "prompts=-1", "prompts=1.5", "x", "critic.model=tiny",
       "actor.size=tiny", "actor.model=gpt9"},
      models, bad, errors));
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors[0].message, "unknown setting 'promts'");
  EXPECT_NE(errors[0].hint.find("did you mean 'prompts'?"), std::string::npos);
  EXPECT_NE(errors[1].message.find("whole number of at least 1"),
            std::string::npos);
  EXPECT_NE(errors[2].message.find("got '1.5'"), std::string::npos);
  EXPECT_NE(errors[3].message.find("is not key=value"), std::string::npos);
  EXPECT_EQ(errors[4].message,
            "unknown model 'critic' in setting 'critic.model'");
  EXPECT_EQ(errors[5].message, "unknown setting 'actor.size'");
  EXPECT_EQ(errors[6].message,
            "unknown model preset 'gpt9' in 'actor.model=gpt9'");
}

TEST(PlanSettings, ResizesTheStepAndFollowsFrozenCopies) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = canonical(*context, program("ppo.rlg"));
  ASSERT_TRUE(module);
  rlg::analysis::PlanSettings settings;
  settings.prompts = 256;
  settings.samples = 4;
  settings.responseTokens = 512;
  settings.promptTokens = 1024;
  settings.presets["actor"] = "llama-7b";
  rlg::ir::StepOp step = rlg::analysis::findPlannedStep(*module);
  ASSERT_TRUE(mlir::succeeded(
      rlg::analysis::applyPlanSettings(*module, step, settings)));
  auto extracted = rlg::analysis::extractWorkload(*module, settings);
  ASSERT_TRUE(mlir::succeeded(extracted));
  const auto &workload = extracted->workload;
  // The frozen reference copies the actor, so it takes its preset too.
  EXPECT_EQ(workload.models[workload.findModel("ref")].arch.hidden, 4096);
  EXPECT_EQ(workload.models[workload.findModel("critic")].arch.hidden, 64);
  const auto *ro = findCall(workload, "ro");
  EXPECT_EQ(ro->sequences, 1024);
  EXPECT_EQ(ro->promptTokens, 1024);
  EXPECT_EQ(ro->responseTokens, 512);
  // Two mini-batches per epoch, as the program has them.
  const auto *update = findCall(workload, "update_actor");
  EXPECT_EQ(update->sequences, 1024);
  EXPECT_EQ(update->minibatch, 512);
}

class PlanEveryProgram : public ::testing::TestWithParam<std::string> {};

TEST_P(PlanEveryProgram, ScheduleValidates) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = canonical(*context, GetParam());
  ASSERT_TRUE(module);
  mlir::PassManager pm(context.get());
  rlg::PipelineOptions options;
  options.placementStrategy = "search";
  options.clusterFile =
      std::string(RLG_PROGRAMS_DIR) + "/clusters/dgx-h100-x2.toml";
  rlg::buildPlacementPipeline(pm, options);
  ASSERT_TRUE(mlir::succeeded(pm.run(*module))) << GetParam();
  auto schedule = rlg::exporter::exportSchedule(*module);
  ASSERT_TRUE(mlir::succeeded(schedule));
  std::vector<rlg::schedule::ScheduleError> errors;
  rlg::schedule::validateSchedule(*schedule, errors);
  EXPECT_TRUE(errors.empty()) << rlg::schedule::formatScheduleError(errors[0]);
  ASSERT_TRUE(schedule->predictions.has_value());
  EXPECT_FALSE(schedule->predictions->steps.empty());
  EXPECT_FALSE(schedule->predictions->memoryBytes.empty());
}

std::vector<std::string> programFiles() {
  std::vector<std::string> files;
  for (const auto &entry :
       std::filesystem::directory_iterator(RLG_PROGRAMS_DIR))
    if (entry.path().extension() == ".rlg")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(
    Programs, PlanEveryProgram, ::testing::ValuesIn(programFiles()),
    [](const auto &info) {
      return std::filesystem::path(info.param).stem().string();
    });

} // namespace
