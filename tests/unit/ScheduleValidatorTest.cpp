// The schedule validator: each invariant holds for a valid schedule and is
// reported, with the field's path, when broken.
#include "ScheduleTestSupport.h"

using namespace rlg::schedule;
using namespace rlg::schedule::test;

namespace {

/// The example spread over two devices: every op data-parallel on both.
Schedule twoDeviceExample() {
  Schedule s = exampleSchedule();
  s.cluster.deviceCount = 2;
  s.cluster.meshes["m0"] = {0, 1};
  for (Op &op : s.steps[0].ops)
    op.layout.dp = 2;
  s.steps[0].instructions[1] = s.steps[0].instructions[0];
  s.predictions->memoryBytes[1] = s.predictions->memoryBytes[0];
  return s;
}

TEST(ScheduleValidator, ExampleIsValid) { EXPECT_VALID(exampleSchedule()); }

TEST(ScheduleValidator, OpIdsAreUnique) {
  Schedule s = exampleSchedule();
  s.steps[0].ops[4].id = "old_lp";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[4].id",
                        "duplicate op id 'old_lp' (also at steps[0].ops[3])");
}

TEST(ScheduleValidator, InputsAndDepsNameOpsOfTheStep) {
  Schedule s = exampleSchedule();
  opNamed(s, "adv").inputs = {"rr"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[5].inputs[0]", "unknown op 'rr'");
  s = exampleSchedule();
  opNamed(s, "update_actor").deps = {"ro", "roo"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[6].deps[1]", "unknown op 'roo'");
  s = exampleSchedule();
  opNamed(s, "adv").deps = {"adv"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[5].deps[0]", "depends on itself");
}

TEST(ScheduleValidator, InputsAndDepsFormNoCycle) {
  Schedule s = exampleSchedule();
  opNamed(s, "prompts").deps = {"adv"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].inputs[0]",
                        "cycle in step 'grpo': 'prompts' -> 'adv' -> 'r' -> "
                        "'ro' -> 'prompts'");
  // A dependency on a later-listed op is fine while there is no cycle.
  s = exampleSchedule();
  opNamed(s, "prompts").deps = {};
  opNamed(s, "r").deps = {"ref_lp"};
  auto &order = s.steps[0].instructions[0];
  std::swap(order[2], order[4]); // ref_lp before r.
  EXPECT_VALID(s);
}

TEST(ScheduleValidator, MeshesExistAndFitTheCluster) {
  Schedule s = exampleSchedule();
  opNamed(s, "r").mesh = "m1";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[2].mesh", "unknown mesh 'm1'");
  s = exampleSchedule();
  s.cluster.meshes["wide"] = {0, 1};
  EXPECT_SCHEDULE_ERROR(s, "cluster.meshes.wide[1]",
                        "device rank 1 is out of range: the cluster has 1 "
                        "device");
  s.cluster.deviceCount = 2;
  EXPECT_VALID(s);
  s.cluster.meshes["wide"] = {1, 1};
  EXPECT_SCHEDULE_ERROR(s, "cluster.meshes.wide[1]",
                        "device rank 1 appears twice in mesh 'wide'");
  s.cluster.meshes.clear();
  EXPECT_SCHEDULE_ERROR(s, "cluster.meshes", "the cluster has no meshes");
}

TEST(ScheduleValidator, LayoutUsesTheWholeMesh) {
  Schedule s = twoDeviceExample();
  EXPECT_VALID(s);
  opNamed(s, "ro").layout = Layout{1, 2, 1, 0, 0, false, false};
  EXPECT_VALID(s);
  opNamed(s, "ro").layout.pp = 2;
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].layout",
                        "dp x tp x pp = 1 x 2 x 2 does not match the 2 "
                        "devices of mesh 'm0'");
  opNamed(s, "ro").layout = Layout{1LL << 40, 1LL << 40, 1, 0, 0, false, false};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].layout", "does not match");
  opNamed(s, "ro").layout = Layout{2, 1, 1, 4, -1, false, false};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].layout.zero", "0 to 3, got 4");
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].layout.microbatch",
                        "at least 0, got -1");
}

TEST(ScheduleValidator, ModelsReferencedExistWithTheRightRole) {
  Schedule s = exampleSchedule();
  opNamed(s, "ro").model = "actr";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].model", "unknown model 'actr'");
  s = exampleSchedule();
  opNamed(s, "ro").model = "";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].model",
                        "a 'generate' op needs a model");
  s = exampleSchedule();
  s.models[0].role = "value";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[1].model",
                        "needs a policy model, but 'actor' is a value model");
}

TEST(ScheduleValidator, UpdatesNameTrainableUnfrozenModels) {
  Schedule s = exampleSchedule();
  opNamed(s, "update_actor").model = "ref";
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[6].model",
                        "cannot update frozen model 'ref'");
  s = exampleSchedule();
  s.models[0].trainable = false;
  s.models[0].optimizer.reset();
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[6].model",
                        "cannot update model 'actor', which is not trainable");
}

TEST(ScheduleValidator, ModelDeclarationsAreConsistent) {
  Schedule s = exampleSchedule();
  s.models[1].frozenFrom = "actr";
  EXPECT_SCHEDULE_ERROR(s, "models[1].frozen_from", "unknown model 'actr'");
  s = exampleSchedule();
  s.models[1].trainable = true;
  EXPECT_SCHEDULE_ERROR(s, "models[1].trainable", "cannot be trainable");
  s = exampleSchedule();
  s.models[0].arch.heads = 3;
  EXPECT_SCHEDULE_ERROR(s, "models[0].arch.hidden",
                        "hidden size 64 is not divisible by 3 heads");
  s = exampleSchedule();
  s.models[0].preset = "tinny";
  EXPECT_SCHEDULE_ERROR(s, "models[0].preset", "unknown preset 'tinny'");
  s = exampleSchedule();
  s.models[0].optimizer->lrSchedule = "step";
  EXPECT_SCHEDULE_ERROR(s, "models[0].optimizer.lr_schedule",
                        "unknown learning-rate schedule 'step'");
  s = exampleSchedule();
  s.models[1].name = "actor";
  EXPECT_SCHEDULE_ERROR(s, "models[1].name", "duplicate model 'actor'");
}

TEST(ScheduleValidator, EveryOpIsInTheInstructionsOfEachRankOfItsMesh) {
  Schedule s = twoDeviceExample();
  auto &rank1 = s.steps[0].instructions[1];
  rank1.erase(rank1.begin() + 4); // ref_lp
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.1",
                        "op 'ref_lp' (steps[0].ops[4]) runs on mesh 'm0' but "
                        "is missing from the instructions of rank 1");
  s = twoDeviceExample();
  s.steps[0].instructions[1].push_back("adv");
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.1[7]",
                        "op 'adv' appears twice (also at "
                        "steps[0].instructions.1[5])");
  s = twoDeviceExample();
  s.steps[0].instructions.erase(1);
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions",
                        "rank 1 has no instructions");
  s = twoDeviceExample();
  s.steps[0].instructions[1].push_back("nope");
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.1[7]", "unknown op 'nope'");
}

TEST(ScheduleValidator, RanksRunOnlyOpsOfTheirMeshes) {
  Schedule s = twoDeviceExample();
  s.cluster.meshes["solo"] = {0};
  opNamed(s, "adv").mesh = "solo";
  opNamed(s, "adv").layout.dp = 1;
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.1[5]",
                        "op 'adv' runs on mesh 'solo', which does not include "
                        "rank 1");
  auto &rank1 = s.steps[0].instructions[1];
  rank1.erase(rank1.begin() + 5);
  EXPECT_VALID(s);
  s.steps[0].instructions[5] = {};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.5",
                        "device rank 5 is out of range");
}

TEST(ScheduleValidator, InstructionOrderRespectsInputsAndDeps) {
  Schedule s = exampleSchedule();
  auto &order = s.steps[0].instructions[0];
  std::swap(order[1], order[2]); // r before ro.
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.0[1]",
                        "op 'r' runs before 'ro' (at "
                        "steps[0].instructions.0[2]), which it needs through "
                        "its inputs");
  s = exampleSchedule();
  opNamed(s, "ro").deps = {"ref_lp"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[4].inputs[0]", "cycle");
  s = exampleSchedule();
  opNamed(s, "r").deps = {"ref_lp"};
  EXPECT_SCHEDULE_ERROR(s, "steps[0].instructions.0[2]",
                        "which it needs through its deps");
}

TEST(ScheduleValidator, RunStagesAndEvalNameWhatExists) {
  Schedule s = exampleSchedule();
  s.run.stages[0].step = "grpoo";
  EXPECT_SCHEDULE_ERROR(s, "run.stages[0].step", "unknown step 'grpoo'");
  s = exampleSchedule();
  s.run.stages.clear();
  EXPECT_SCHEDULE_ERROR(s, "run.stages", "the run has no stages");
  s = exampleSchedule();
  s.run.eval[0].data = "tset";
  EXPECT_SCHEDULE_ERROR(s, "run.eval[0].data", "unknown data source 'tset'");
  s = exampleSchedule();
  s.run.overlap = {"off_policy", 0, 0};
  EXPECT_SCHEDULE_ERROR(s, "run.overlap.staleness", "at least 1, got 0");
}

TEST(ScheduleValidator, DataRewardsAndParamsAgree) {
  Schedule s = exampleSchedule();
  opNamed(s, "prompts").attrs[0].value = AttrValue::ofString("trian");
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[0].attrs.data",
                        "unknown data source 'trian'");
  s = exampleSchedule();
  opNamed(s, "r").attrs.clear();
  EXPECT_SCHEDULE_ERROR(s, "steps[0].ops[2].attrs.reward",
                        "needs the reward it reads");
  s = exampleSchedule();
  s.rewards[0].expr = {RewardExpr::Kind::Score, "", {}, "actor", {}};
  EXPECT_SCHEDULE_ERROR(s, "rewards[0].expr.model",
                        "has role 'policy', not 'reward'");
  s = exampleSchedule();
  s.data[1] = {"test", "pairs", "", {}, "p.jsonl", {{"prompt", "q"}}};
  EXPECT_SCHEDULE_ERROR(s, "data[1].source.fields",
                        "'pairs' data needs a field for 'chosen'");
  EXPECT_SCHEDULE_ERROR(s, "run.eval[0].data", "evaluation needs prompts");
}

TEST(ScheduleValidator, PredictionsNameOpsAndDevicesThatExist) {
  Schedule s = exampleSchedule();
  s.predictions->steps[0].opTimeS["ghost"] = 1.0;
  s.predictions->memoryBytes[3]["update"] = 10;
  s.predictions->steps[0].stepTimeS = -1;
  EXPECT_SCHEDULE_ERROR(s, "predictions.steps[0].op_time_s.ghost",
                        "unknown op 'ghost'");
  EXPECT_SCHEDULE_ERROR(s, "predictions.memory_bytes.3",
                        "device rank 3 is out of range");
  EXPECT_SCHEDULE_ERROR(s, "predictions.steps[0].step_time_s",
                        "must be at least 0, got -1");
  s.predictions.reset();
  EXPECT_VALID(s);
}

} // namespace
