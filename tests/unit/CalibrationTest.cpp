// Calibration: the fit recovers the efficiencies that generated synthetic
// measurements, profiles and calibration files report located errors, and
// a stored CPU run folder becomes one measurement per model op.
#include "rlg/Planner/Calibration.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace rlg;
using namespace rlg::planner;

namespace {

Measurement measurement(MeasuredPhase phase, const std::string &preset,
                        int64_t tp, int64_t batch, int64_t tokens,
                        int64_t steps = 1) {
  Measurement m;
  m.label = std::string(measuredPhaseName(phase)) + " " + preset;
  m.phase = phase;
  m.model = preset;
  m.arch = *findModelPreset(preset);
  m.tp = tp;
  m.batch = batch;
  m.tokens = tokens;
  m.steps = steps;
  return m;
}

/// Measurements on an H100 node "timed" by the cost model itself with
/// `truth`: a prefill, a training step with micro-batches, tensor-parallel
/// decode steps and a generation.
CalibrationInput synthetic(const Efficiency &truth) {
  CalibrationInput input;
  input.source = "synthetic";
  input.cluster = singleNodeCluster(*findDeviceProfile("H100-80GB"));
  input.measurements = {
      measurement(MeasuredPhase::Prefill, "qwen2.5-7b", 1, 64, 512),
      measurement(MeasuredPhase::Train, "qwen2.5-1.5b", 1, 64, 1024, 2),
      measurement(MeasuredPhase::Decode, "qwen2.5-7b", 2, 256, 700, 16),
      measurement(MeasuredPhase::Generate, "llama-7b", 1, 128, 256, 63),
  };
  input.measurements[1].microBatch = 8;
  input.measurements[3].prompts = 32;
  for (Measurement &m : input.measurements)
    m.seconds = predictSeconds(m, input.cluster, truth);
  return input;
}

TEST(CalibrationTest, RecoversTheConstantsThatMadeTheMeasurements) {
  Efficiency truth;
  truth.compute = 0.42;
  truth.memory = 0.63;
  CalibrationInput input = synthetic(truth);
  CalibrationResult result = calibrate(input);
  EXPECT_NEAR(result.after.compute, 0.42, 0.42 * 1e-6);
  EXPECT_NEAR(result.after.memory, 0.63, 0.63 * 1e-6);
  EXPECT_EQ(result.computeMeasurements, 2);
  EXPECT_EQ(result.memoryMeasurements, 2);
  EXPECT_FALSE(result.computeAtBound);
  EXPECT_FALSE(result.memoryAtBound);
  EXPECT_TRUE(result.computeDetermined);
  EXPECT_TRUE(result.memoryDetermined);
  EXPECT_LT(result.errorAfter.max, 1e-6);
  // The defaults (0.6, 0.8) predict too fast: prefill by 1 - 0.42 / 0.6.
  EXPECT_DOUBLE_EQ(result.before.compute, 0.6);
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_NEAR(result.rows[0].before / input.measurements[0].seconds, 0.42 / 0.6,
              1e-3);
  EXPECT_GT(result.errorBefore.mean, 0.2);
  EXPECT_GE(result.errorBefore.max, result.errorBefore.mean);
}

TEST(CalibrationTest, RecoversAPerLayerOverhead) {
  // The same measurements made with 25 us per layer pass: about 2 % of the
  // prefill, 10 % of the decode steps and 16 % of the generation.
  Efficiency truth;
  truth.compute = 0.42;
  truth.memory = 0.63;
  truth.layerOverheadUs = 25;
  CalibrationInput input = synthetic(truth);
  CalibrationResult result = calibrate(input);
  EXPECT_NEAR(result.after.compute, 0.42, 0.42 * 1e-5);
  EXPECT_NEAR(result.after.memory, 0.63, 0.63 * 1e-5);
  EXPECT_NEAR(result.after.layerOverheadUs, 25, 25 * 1e-4);
  EXPECT_TRUE(result.computeDetermined);
  EXPECT_TRUE(result.memoryDetermined);
  EXPECT_TRUE(result.overheadDetermined);
  EXPECT_LT(result.errorAfter.max, 1e-5);
  EXPECT_DOUBLE_EQ(result.before.layerOverheadUs, 0);
  // Without an overhead in the measurements, none is fitted.
  truth.layerOverheadUs = 0;
  result = calibrate(synthetic(truth));
  EXPECT_DOUBLE_EQ(result.after.layerOverheadUs, 0);
  EXPECT_TRUE(result.overheadDetermined); // even 1 us fits worse
}

TEST(CalibrationTest, NoisyComputeFitIsTheGeometricMean) {
  // Two compute-bound prefills on one device, one 21 % slower and one 21 %
  // faster than an efficiency of 0.5 predicts: the least-squares fit of
  // the log ratios is 0.5 / sqrt(1.21 / 1.21^-1 ...) = 0.5 exactly, and
  // each is then 21 % off.
  CalibrationInput input;
  input.cluster = singleNodeCluster(*findDeviceProfile("H100-80GB"));
  Efficiency half;
  half.compute = 0.5;
  for (double factor : {1.21, 1 / 1.21}) {
    Measurement m =
        measurement(MeasuredPhase::Prefill, "llama-7b", 1, 32, 1024);
    m.seconds = predictSeconds(m, input.cluster, half) * factor;
    input.measurements.push_back(m);
  }
  CalibrationResult result = calibrate(input);
  EXPECT_NEAR(result.after.compute, 0.5, 1e-6);
  EXPECT_DOUBLE_EQ(result.after.memory, 0.8); // nothing measured it
  EXPECT_EQ(result.memoryMeasurements, 0);
  EXPECT_NEAR(result.errorAfter.max, 0.21, 1e-4);
}

TEST(CalibrationTest, AFractionTheMeasurementsDoNotPinKeepsItsStart) {
  // Decoding 4096 sequences of Llama-7B at once is compute-bound (about
  // 0.1 s of FLOPs against 6 ms of memory traffic): timed faster than its
  // compute, any memory fraction above a few percent fits it equally.
  CalibrationInput input;
  input.cluster = singleNodeCluster(*findDeviceProfile("H100-80GB"));
  Measurement m = measurement(MeasuredPhase::Decode, "llama-7b", 1, 4096, 1);
  m.seconds = 0.05;
  input.measurements.push_back(m);
  CalibrationResult result = calibrate(input);
  EXPECT_DOUBLE_EQ(result.after.memory, 0.8);
  EXPECT_FALSE(result.memoryDetermined);
  EXPECT_FALSE(result.memoryAtBound);
  EXPECT_EQ(result.computeMeasurements, 0);
  // A memory-bound decode (one sequence) pins it down.
  input.measurements[0] =
      measurement(MeasuredPhase::Decode, "llama-7b", 1, 1, 512);
  input.measurements[0].seconds = 0.01;
  result = calibrate(input);
  EXPECT_TRUE(result.memoryDetermined);
  EXPECT_LT(result.errorAfter.max, 1e-6);
}

TEST(CalibrationTest, ProfileFile) {
  const std::string text = R"(name = "h100 sample"
device = "H100-80GB"

[[measurement]]
phase = "decode"
model = "qwen2.5-0.5b"
batch = 512
context = 384
seconds = 0.0016

[[measurement]]
name = "train 7b"
phase = "train"
arch = { layers = 32, hidden = 4096, ffn = 11008, heads = 32, kv_heads = 32, vocab = 32000 }
tp = 2
batch = 16
tokens = 2048
micro_batch = 4
checkpointing = true
seconds = 2.5

[[measurement]]
phase = "generate"
model = "qwen2.5-0.5b"
batch = 64
prompts = 8
prompt_tokens = 100
new_tokens = 50
seconds = 0.2
)";
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  ASSERT_TRUE(readProfileText(text, "p.toml", "", input, errors));
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(input.cluster.device.name, "H100-80GB");
  ASSERT_EQ(input.measurements.size(), 3u);
  const Measurement &decode = input.measurements[0];
  EXPECT_EQ(decode.phase, MeasuredPhase::Decode);
  EXPECT_EQ(decode.label, "measurement 1");
  EXPECT_EQ(decode.tokens, 384);
  EXPECT_EQ(decode.steps, 1);
  EXPECT_EQ(decode.line, 4);
  const Measurement &train = input.measurements[1];
  EXPECT_EQ(train.label, "train 7b");
  EXPECT_EQ(train.model, "custom");
  EXPECT_EQ(train.arch.parameterCount(),
            findModelPreset("llama-7b")->parameterCount());
  EXPECT_EQ(train.tp, 2);
  EXPECT_EQ(train.microBatch, 4);
  EXPECT_TRUE(train.checkpointing);
  const Measurement &generate = input.measurements[2];
  EXPECT_EQ(generate.prompts, 8);
  EXPECT_EQ(generate.tokens, 100);
  EXPECT_EQ(generate.steps, 49); // the prefill gives the first token

  // --device replaces the file's device.
  ASSERT_TRUE(readProfileText(text, "p.toml", "a100-80gb", input, errors));
  EXPECT_EQ(input.cluster.device.name, "A100-80GB");
}

TEST(CalibrationTest, ProfileErrorsAreLocated) {
  const std::string text = R"(device = "H100"

[[measurement]]
phase = "decod"
model = "qwen2.5-0.5b"

[[measurement]]
phase = "prefill"
model = "qwen2.5-7"
batch = 0
tokens = 128
context = 3
seconds = -1

[[measurement]]
phase = "train"
arch = { layers = 2, hidden = 64, ffn = 176, heads = 5, kv_heads = 1, vocab = 64 }
batch = 8
tokens = "many"
seconds = 1
)";
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  ASSERT_FALSE(readProfileText(text, "bad.toml", "", input, errors));
  std::vector<std::string> lines;
  for (const CalibrationError &error : errors)
    lines.push_back(formatCalibrationError(error));
  std::vector<std::string> expected = {
      "bad.toml:1:10: error: unknown device profile 'H100'\n"
      "hint: did you mean 'H100-80GB'?",
      "bad.toml:4:9: error: unknown phase 'decod'\n"
      "hint: did you mean 'decode'?",
      "bad.toml:9:9: error: unknown model preset 'qwen2.5-7'\n"
      "hint: did you mean 'qwen2.5-7b'?",
      "bad.toml:10:9: error: 'batch' must be at least 1, got 0",
      "bad.toml:12:1: error: unknown key 'context' in a prefill measurement\n"
      "hint: keys of a prefill measurement: 'name', 'phase', 'model', "
      "'arch', 'tp', 'batch', 'seconds' or 'tokens'",
      "bad.toml:13:11: error: 'seconds' must be above 0, got -1",
      "bad.toml:17:8: error: 'hidden' (64) must be a multiple of 'heads' (5)",
      "bad.toml:19:10: error: 'tokens' must be an integer",
  };
  EXPECT_EQ(lines, expected);
}

TEST(CalibrationTest, ProfileWithoutDeviceOrMeasurements) {
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  ASSERT_FALSE(
      readProfileText("name = \"x\"\n", "empty.toml", "", input, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "no measurements");
  EXPECT_EQ(errors[1].message, "missing 'device'");
  errors.clear();
  ASSERT_FALSE(readProfileText("device = \"CPU\"\n[[measurement]\n",
                               "syntax.toml", "", input, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_NE(errors[0].message.find("not valid TOML"), std::string::npos);
  errors.clear();
  EXPECT_FALSE(readProfileFile("/nonexistent/p.toml", "", input, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "cannot read the file");
}

TEST(CalibrationTest, CalibrationFileRoundTrip) {
  Efficiency truth;
  truth.compute = 0.42;
  truth.memory = 0.63;
  CalibrationInput input = synthetic(truth);
  CalibrationResult result = calibrate(input);
  std::string text = writeCalibrationToml(result, input);
  Efficiency read;
  std::string device;
  std::vector<CalibrationError> errors;
  ASSERT_TRUE(readCalibrationText(text, "c.toml", read, errors, &device))
      << text;
  EXPECT_NEAR(read.compute, 0.42, 1e-5);
  EXPECT_NEAR(read.memory, 0.63, 1e-5);
  EXPECT_DOUBLE_EQ(read.halfRows, Efficiency{}.halfRows); // written, kept
  EXPECT_DOUBLE_EQ(read.halfWidth, Efficiency{}.halfWidth);
  EXPECT_EQ(device, "H100-80GB");
  // A file may set the saturation constants too.
  ASSERT_TRUE(readCalibrationText(
      "[efficiency]\ncompute = 0.5\nhalf_rows = 0\n", "c.toml", read, errors))
      << formatCalibrationError(errors.front());
  EXPECT_DOUBLE_EQ(read.compute, 0.5);
  EXPECT_DOUBLE_EQ(read.halfRows, 0);
  EXPECT_NEAR(read.memory, 0.63, 1e-5); // not given: kept
}

TEST(CalibrationTest, CalibrationFileErrorsAreLocated) {
  Efficiency efficiency;
  std::vector<CalibrationError> errors;
  ASSERT_FALSE(readCalibrationText(
      "device = \"CPU\"\n[efficiency]\ncompute = 0\nmemroy = 0.5\n", "c.toml",
      efficiency, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(formatCalibrationError(errors[0]),
            "c.toml:3:11: error: 'compute' must be a fraction above 0 (at "
            "most 10), got 0\nhint: it is the share of the datasheet peak "
            "that kernels reach");
  EXPECT_EQ(formatCalibrationError(errors[1]),
            "c.toml:4:1: error: unknown key 'memroy' in [efficiency]\n"
            "hint: did you mean 'memory'?");
  EXPECT_DOUBLE_EQ(efficiency.compute, 0.6); // untouched on error
  errors.clear();
  ASSERT_FALSE(
      readCalibrationText("device = \"CPU\"\n", "c.toml", efficiency, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "missing [efficiency]");
}

TEST(CalibrationTest, RunFolder) {
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  ASSERT_TRUE(readRunFolder(RLG_CALIBRATE_RUN, "", input, errors))
      << formatCalibrationError(errors.front());
  EXPECT_EQ(input.cluster.device.name, "CPU");
  // PPO: generate, old and ref log-probs, values, two updates.
  ASSERT_EQ(input.measurements.size(), 6u);
  const Measurement &generate = input.measurements[0];
  EXPECT_EQ(generate.phase, MeasuredPhase::Generate);
  EXPECT_EQ(generate.label.rfind("ro (actor, steps 2-4)", 0), 0u);
  EXPECT_EQ(generate.batch, 32);
  EXPECT_EQ(generate.prompts, 32);
  EXPECT_EQ(generate.steps, 7); // max_tokens 8
  EXPECT_EQ(generate.model, "tiny");
  int updates = 0;
  for (const Measurement &m : input.measurements) {
    EXPECT_GT(m.seconds, 0);
    EXPECT_GT(m.tokens, 0);
    if (m.phase == MeasuredPhase::Train) {
      ++updates;
      EXPECT_EQ(m.batch, 16); // minibatch 16 of 32, 2 epochs
      EXPECT_EQ(m.steps, 4);
    }
  }
  EXPECT_EQ(updates, 2);
  // The fit lowers the error.
  CalibrationResult result = calibrate(input);
  EXPECT_LT(result.errorAfter.mean, result.errorBefore.mean);
}

TEST(CalibrationTest, RunFolderErrors) {
  CalibrationInput input;
  std::vector<CalibrationError> errors;
  EXPECT_FALSE(readRunFolder("/nonexistent-run", "", input, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "not a run folder");
  errors.clear();
  EXPECT_FALSE(readRunFolder(RLG_CALIBRATE_RUN, "H100", input, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown device profile 'H100'");
}

} // namespace
