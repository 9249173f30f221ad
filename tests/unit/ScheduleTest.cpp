// The schedule reader and writer: round trips, versions, and the errors that
// name a field's path.
#include "ScheduleTestSupport.h"

#include <optional>

using namespace rlg;
using namespace rlg::schedule;
using namespace rlg::schedule::test;

namespace {

Op makeOp(std::string id, OpKind kind, std::string model,
          std::vector<std::string> inputs, std::string mesh, Layout layout) {
  Op op;
  op.id = std::move(id);
  op.kind = kind;
  op.model = std::move(model);
  op.inputs = std::move(inputs);
  op.mesh = std::move(mesh);
  op.layout = layout;
  op.outputs.push_back({op.id, "TokenScores[8 x 1]"});
  return op;
}

Layout layout(int64_t dp, int64_t tp = 1, int64_t pp = 1) {
  Layout out;
  out.dp = dp;
  out.tp = tp;
  out.pp = pp;
  return out;
}

/// A PPO-like schedule on four devices that uses most of the format.
Schedule richSchedule() {
  Schedule s;
  s.program = {"programs/ppo.rlg", "ppo"};
  s.cluster.deviceCount = 4;
  s.cluster.deviceKind = "cuda";
  s.cluster.meshes = {
      {"all", {0, 1, 2, 3}}, {"gen", {2, 3}}, {"train", {0, 1}}};
  Model actor{"actor",
              "policy",
              false,
              "",
              "",
              "qwen2.5-0.5b",
              *findModelPreset("qwen2.5-0.5b"),
              true,
              Optimizer()};
  actor.optimizer->lr = 1e-6;
  actor.optimizer->lrSchedule = "cosine";
  actor.optimizer->weightDecay = 0.01;
  Model rm{"rm",
           "reward",
           false,
           "",
           "actor",
           "",
           ModelArch{2, 64, 176, 4, 2, 64, false},
           false,
           std::nullopt};
  Model critic{"critic",
               "value",
               false,
               "",
               "rm",
               "",
               ModelArch{2, 64, 176, 4, 2, 64, false},
               true,
               Optimizer()};
  critic.optimizer->lr = 5e-6;
  Model ref{"ref",
            "policy",
            true,
            "actor",
            "",
            "qwen2.5-0.5b",
            *findModelPreset("qwen2.5-0.5b"),
            false,
            std::nullopt};
  s.models = {actor, rm, critic, ref};
  DataSource train{
      "train",
      "prompts",
      "arith",
      {{"digits", AttrValue::ofInt(3)}, {"ops", AttrValue::ofString("+-")}},
      "",
      {}};
  DataSource prefs{"prefs",
                   "pairs",
                   "",
                   {},
                   "data/prefs.jsonl",
                   {{"chosen", "good"}, {"prompt", "q"}, {"rejected", "bad"}}};
  s.data = {train, prefs};
  RewardExpr exact{RewardExpr::Kind::Rule, "exact_match", {}, "", {}};
  RewardExpr score{RewardExpr::Kind::Score, "", {}, "rm", {}};
  RewardExpr inner{RewardExpr::Kind::Sum, "", {}, "", {{-0.5, score}}};
  s.rewards = {
      {"correct", exact},
      {"total",
       {RewardExpr::Kind::Sum, "", {}, "", {{1.0, exact}, {2.0, inner}}}}};
  Step step;
  step.name = "ppo";
  step.ops.push_back(makeOp("p", OpKind::Param, "", {}, "gen", layout(2)));
  step.ops.back().attrs = {{"data", AttrValue::ofString("train")},
                           {"batch", AttrValue::ofInt(8)}};
  step.ops.push_back(
      makeOp("ro", OpKind::Generate, "actor", {"p"}, "gen", layout(1, 2)));
  step.ops.back().attrs = {
      {"n", AttrValue::ofInt(1)},
      {"temperature", AttrValue::ofFloat(0.7)},
      {"stop", AttrValue::ofList({AttrValue(), AttrValue::ofBool(true)})},
      {"nested", AttrValue::ofObject({{"x", AttrValue::ofInt(-3)}})}};
  step.ops.back().loc = "programs/ppo.rlg:12:3";
  step.ops.push_back(
      makeOp("ro_t", OpKind::Transfer, "", {"ro"}, "all", layout(4)));
  step.ops.push_back(
      makeOp("s", OpKind::Score, "rm", {"ro_t"}, "train", layout(2)));
  step.ops.push_back(
      makeOp("v", OpKind::Value, "critic", {"ro_t"}, "train", layout(2)));
  step.ops.push_back(
      makeOp("adv", OpKind::Advantage, "", {"s", "v"}, "train", layout(2)));
  Layout trainLayout = layout(1, 1, 2);
  trainLayout.zero = 2;
  trainLayout.microbatch = 4;
  trainLayout.checkpointing = true;
  trainLayout.offload = true;
  step.ops.push_back(
      makeOp("up", OpKind::Update, "actor", {"adv"}, "train", trainLayout));
  step.ops.back().outputs.clear();
  step.ops.back().deps = {"ro"};
  step.ops.push_back(
      makeOp("rs", OpKind::Reshard, "actor", {}, "all", layout(2, 2)));
  step.ops.back().deps = {"up"};
  std::vector<std::string> trainRanks = {"ro_t", "s", "v", "adv", "up", "rs"};
  std::vector<std::string> genRanks = {"p", "ro", "ro_t", "rs"};
  step.instructions = {
      {0, trainRanks}, {1, trainRanks}, {2, genRanks}, {3, genRanks}};
  s.steps = {step};
  s.run.stages = {{"ppo", 100}};
  s.run.seed = 7;
  s.run.eval = {{"train", "actor", 10, 2, 0.5}};
  s.run.overlap = {"off_policy", 1, 0};
  Predictions predictions;
  predictions.steps = {{"ppo", 1.25, {{"p", 0.001}, {"ro", 0.75}}}};
  for (int64_t rank = 0; rank < 4; ++rank)
    predictions.memoryBytes[rank] = {{"generate", 1000 + rank},
                                     {"update", 1LL << 33}};
  s.predictions = predictions;
  return s;
}

std::vector<ScheduleError> readErrors(const std::string &text) {
  Schedule schedule;
  std::vector<ScheduleError> errors;
  bool ok = readScheduleJson(text, schedule, errors);
  EXPECT_EQ(ok, errors.empty());
  return errors;
}

/// The example with `from` replaced by `to` (once).
std::string exampleWith(const std::string &from, const std::string &to) {
  std::string text = exampleText();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(ScheduleRoundTrip, BuiltInCppReadsBackEqual) {
  Schedule original = richSchedule();
  EXPECT_VALID(original);
  std::string text = writeScheduleJson(original);
  Schedule copy;
  std::vector<ScheduleError> errors;
  ASSERT_TRUE(readScheduleJson(text, copy, errors)) << describe(errors);
  EXPECT_TRUE(copy == original);
  EXPECT_EQ(writeScheduleJson(copy), text);
  copy.steps[0].ops[1].attrs[1].value.floatValue = 0.71;
  EXPECT_TRUE(copy != original);
}

TEST(ScheduleRoundTrip, ExampleTextIsWrittenBackUnchanged) {
  std::string text = exampleText();
  ASSERT_FALSE(text.empty()) << "cannot read " << RLG_SCHEDULE_EXAMPLE;
  Schedule schedule = exampleSchedule();
  EXPECT_EQ(writeScheduleJson(schedule), text);
  EXPECT_VALID(schedule);
  EXPECT_EQ(schedule.opCount(), 7u);
}

TEST(ScheduleRoundTrip, OddStringsAreEscaped) {
  Schedule schedule = richSchedule();
  schedule.program.name = "quote \" backslash \\ tab \t caf\xc3\xa9";
  schedule.program.source = "bad utf-8 \xff"; // Written as U+FFFD.
  std::string text = writeScheduleJson(schedule);
  Schedule copy;
  std::vector<ScheduleError> errors;
  ASSERT_TRUE(readScheduleJson(text, copy, errors)) << describe(errors);
  EXPECT_EQ(copy.program.name, schedule.program.name);
  EXPECT_EQ(copy.program.source, "bad utf-8 \xef\xbf\xbd");
}

TEST(ScheduleReader, NewerMajorVersionIsRejectedNamingBoth) {
  auto errors =
      readErrors(exampleWith("\"version\": \"1.0\"", "\"version\": \"2.0\""));
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].path, "version");
  EXPECT_NE(errors[0].message.find("2.0 is newer than this reader's version "
                                   "1.0"),
            std::string::npos);
}

TEST(ScheduleReader, OlderMajorAndMalformedVersionsAreRejected) {
  EXPECT_TRUE(hasError(readErrors(exampleWith("\"1.0\"", "\"0.9\"")), "version",
                       "older than"));
  EXPECT_TRUE(hasError(readErrors(exampleWith("\"1.0\"", "\"1.x\"")), "version",
                       "MAJOR.MINOR"));
  EXPECT_TRUE(hasError(readErrors(exampleWith("\"1.0\"", "10")), "version",
                       "expected a string, got an integer"));
}

TEST(ScheduleReader, NewerMinorIsReadAndItsNewFieldsIgnored) {
  std::string text = exampleWith("\"version\": \"1.0\",",
                                 "\"version\": \"1.4\", \"future\": [1],");
  Schedule schedule;
  std::vector<ScheduleError> errors;
  EXPECT_TRUE(readScheduleJson(text, schedule, errors)) << describe(errors);
  EXPECT_EQ(schedule.version.minor, 4);
  // In this reader's own minor version an unknown field is a mistake.
  auto strict = readErrors(exampleWith("\"version\": \"1.0\",",
                                       "\"version\": \"1.0\", \"futur\": 1,"));
  EXPECT_TRUE(hasError(strict, "futur", "unknown field 'futur'"));
}

TEST(ScheduleReader, WrongTypesNameTheirPath) {
  auto errors = readErrors(exampleWith("\"tp\": 1", "\"tp\": \"1\""));
  EXPECT_TRUE(hasError(errors, "steps[0].ops[0].layout.tp",
                       "expected an integer, got a string"))
      << describe(errors);
  errors = readErrors(exampleWith("\"count\": 1", "\"count\": 1.5"));
  EXPECT_TRUE(hasError(errors, "cluster.devices.count",
                       "expected an integer, got 1.5"));
  errors = readErrors(exampleWith("\"trainable\": true", "\"trainable\": 1"));
  EXPECT_TRUE(hasError(errors, "models[0].trainable",
                       "expected true or false, got an integer"));
  errors = readErrors(exampleWith("\"0\": [", "\"zero\": ["));
  EXPECT_TRUE(
      hasError(errors, "steps[0].instructions.zero", "is not a device rank"));
}

TEST(ScheduleReader, MissingSectionsAreEachReported) {
  auto errors =
      readErrors("{\"format\": \"rlg-schedule\", \"version\": \"1.0\"}");
  for (const char *section :
       {"program", "cluster", "models", "data", "rewards", "steps", "run"})
    EXPECT_TRUE(hasError(errors, section, "missing required field")) << section;
  EXPECT_EQ(errors.size(), 7u) << describe(errors);
}

TEST(ScheduleReader, MalformedJsonGivesTheByteOffset) {
  auto errors = readErrors("{\"format\": }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "");
  EXPECT_NE(errors[0].message.find("invalid JSON at byte 11 (line 1, column "
                                   "12)"),
            std::string::npos)
      << errors[0].message;
  std::string text = exampleText();
  errors = readErrors(text.substr(0, 100));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("at byte 100 "), std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].hint.find("truncated"), std::string::npos);
}

TEST(ScheduleReader, DeepNestingIsAnErrorNotACrash) {
  std::string deep(200000, '[');
  EXPECT_FALSE(readErrors(deep).empty());
  EXPECT_FALSE(readErrors(deep + std::string(200000, ']')).empty());
  std::string nested;
  for (int i = 0; i < 100; ++i)
    nested += "{\"a\": ";
  nested += "1" + std::string(100, '}');
  auto errors =
      readErrors(exampleWith("\"attrs\": {}", "\"attrs\": " + nested));
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].path.find("steps[0].ops[3].attrs.a.a"),
            std::string::npos);
  EXPECT_NE(errors[0].message.find("nested more than"), std::string::npos);
}

TEST(ScheduleReader, MissingFileIsOneError) {
  Schedule schedule;
  std::vector<ScheduleError> errors;
  EXPECT_FALSE(readScheduleFile("/nonexistent/plan.json", schedule, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "cannot open the file");
}

} // namespace
