// Phase times against hand-derived expressions: the GRPO benchmark's shape
// (Qwen2.5-0.5B, 64 x 8 sequences of 128 + 256 tokens) on one H100, and a
// pipelined Llama-7B on two DGX H100 nodes. Efficiencies: 0.6 of the bf16
// peak (989 TFLOP/s), 0.8 of HBM (3350 GB/s); matmul-size saturation and
// the per-layer overhead are off except where a test turns them on.
#include "rlg/Planner/PhaseTimes.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

ClusterSpec h100s(int64_t nodes, int64_t perNode) {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  EXPECT_TRUE(readClusterSpec(
      "nodes = " + std::to_string(nodes) + "\ndevices_per_node = " +
          std::to_string(perNode) + "\ndevice = \"H100-80GB\"\n",
      cluster, errors));
  return cluster;
}

const double kCompute = 989e12 * 0.6; // FLOP/s
const double kMemory = 3350e9 * 0.8;  // bytes/s
/// The default fractions without the matmul-size saturation.
const Efficiency kFlat{0.6, 0.8, 0, 0};
const ModelArch kQwen = *findModelPreset("qwen2.5-0.5b");
const ModelArch kLlama = *findModelPreset("llama-7b");

TEST(PhaseTimesTest, RooflineTakesTheSlowerSide) {
  DeviceProfile h100 = *findDeviceProfile("H100-80GB");
  EXPECT_DOUBLE_EQ(rooflineSeconds(kCompute, 0, h100, kFlat), 1.0);
  EXPECT_DOUBLE_EQ(rooflineSeconds(kCompute, 2 * kMemory, h100, kFlat), 2.0);
}

TEST(PhaseTimesTest, DecodeIsMemoryBound) {
  // Last step: 512 sequences at context 384. Weights 2 x 494,005,120 bytes,
  // KV 12,288 bytes x 512 x 384; its FLOPs (1,021,040,384 a token x 512)
  // take 0.88 ms at 593 TFLOP/s, the bytes 1.27 ms.
  double bytes = 988010240.0 + 12288.0 * 512 * 384;
  EXPECT_DOUBLE_EQ(decodeStepSeconds(kQwen, h100s(1, 1), 1, 512, 384, kFlat),
                   bytes / kMemory);
}

TEST(PhaseTimesTest, PrefillIsComputeBound) {
  // 512 prompts of 128 tokens: (2 x 494,005,120 + 2 x 24 x 896 x 128)
  // FLOPs a token.
  EXPECT_DOUBLE_EQ(prefillSeconds(kQwen, h100s(1, 1), 1, 512, 128, kFlat),
                   993515264.0 * 512 * 128 / kCompute);
}

TEST(PhaseTimesTest, TrainStepOnOneDevice) {
  // 512 sequences of 384 in 16 micro-batches of 32: 3 x (988,010,240 +
  // 2 x 24 x 896 x 384) FLOPs a token; no pipeline, no collectives.
  TrainLayout layout;
  layout.microBatch = 32;
  EXPECT_DOUBLE_EQ(
      trainStepSeconds(kQwen, h100s(1, 1), layout, 512, 384, kFlat),
      16 * (3 * 1004525312.0 * 32 * 384 / kCompute));
}

TEST(PhaseTimesTest, PipelineBubbleAndTensorParallelCollectives) {
  // Llama-7B, tp 8 within a node, pp 2 across the two nodes, 8 sequences of
  // 2048 in micro-batches of 1: each stage-slot computes 3 x 13,751,558,144
  // FLOPs x 2048 tokens / 16 devices and all-reduces 2 x 2048 x 4096 bytes
  // four times in each of its 16 layers over NVLink (2 x 7/8 of it at
  // 450 GB/s plus 14 messages of 5 us), and passes its 1/8 slice of the
  // activations to the next stage and their gradient back across the
  // nodes (50 GB/s, 15 us); 8 micro-batches + 1 bubble slot.
  TrainLayout layout;
  layout.tp = 8;
  layout.pp = 2;
  double compute = 3 * 13751558144.0 * 2048 / 16 / kCompute;
  double allReduce = 2 * 7.0 / 8 * (2.0 * 2048 * 4096) / 450e9 + 14 * 5e-6;
  double p2p = 2.0 * 2048 * 4096 / 8 / 50e9 + 15e-6;
  EXPECT_NEAR(trainStepSeconds(kLlama, h100s(2, 8), layout, 8, 2048, kFlat),
              9 * (compute + 4 * 16 * allReduce + 2 * p2p), 1e-12);
}

TEST(PhaseTimesTest, DataParallelGradientReduction) {
  // Qwen2.5-0.5B on 16 devices of two nodes, dp 16: every replica trains 32
  // sequences of 384 in one micro-batch, then the fp32 gradients (4 x
  // 494,005,120 bytes) are all-reduced over the network (2 x 15/16 at
  // 50 GB/s, 30 messages of 15 us).
  TrainLayout layout;
  layout.dp = 16;
  layout.microBatch = 32;
  double compute = 3 * 1004525312.0 * 32 * 384 / kCompute;
  double reduce = 2 * 15.0 / 16 * (4 * 494005120.0) / 50e9 + 30 * 15e-6;
  EXPECT_NEAR(trainStepSeconds(kQwen, h100s(2, 8), layout, 512, 384, kFlat),
              compute + reduce, 1e-12);
}

TEST(PhaseTimesTest, SmallMatmulsReachLessOfThePeak) {
  // 64 rows reach half of 0.6 at full width; a width of 128 halves again.
  Efficiency efficiency;
  EXPECT_DOUBLE_EQ(computeFraction(efficiency, 64, 1e300), 0.3);
  EXPECT_DOUBLE_EQ(computeFraction(efficiency, 64, 128), 0.15);
  EXPECT_DOUBLE_EQ(computeFraction(kFlat, 1, 1), 0.6);
  // Prefill of 512 x 128 tokens at width 896: the compute fraction is
  // 0.6 x 65536 / 65600 x 896 / 1024.
  double fraction = 0.6 * 65536.0 / 65600.0 * 896.0 / 1024.0;
  EXPECT_NEAR(prefillSeconds(kQwen, h100s(1, 1), 1, 512, 128, efficiency),
              993515264.0 * 512 * 128 / (989e12 * fraction), 1e-12);
}

TEST(PhaseTimesTest, ZeroThreeGathersWeightsAgain) {
  // As DataParallelGradientReduction, with ZeRO 3: 1.5 x the reduction.
  TrainLayout layout;
  layout.dp = 16;
  layout.microBatch = 32;
  layout.zero = 3;
  double compute = 3 * 1004525312.0 * 32 * 384 / kCompute;
  double reduce = 2 * 15.0 / 16 * (4 * 494005120.0) / 50e9 + 30 * 15e-6;
  EXPECT_NEAR(trainStepSeconds(kQwen, h100s(2, 8), layout, 512, 384, kFlat),
              compute + 1.5 * reduce, 1e-12);
}

TEST(PhaseTimesTest, ForwardPassIsATrainingThirdWithoutReduction) {
  // As PipelineBubbleAndTensorParallelCollectives, forward only: 1 x the
  // FLOPs, two all-reduces per layer and one stage-to-stage message, 9
  // slots, no gradient reduction.
  TrainLayout layout;
  layout.tp = 8;
  layout.pp = 2;
  double compute = 13751558144.0 * 2048 / 16 / kCompute;
  double allReduce = 2 * 7.0 / 8 * (2.0 * 2048 * 4096) / 450e9 + 14 * 5e-6;
  double p2p = 2.0 * 2048 * 4096 / 8 / 50e9 + 15e-6;
  EXPECT_NEAR(forwardSeconds(kLlama, h100s(2, 8), layout, 8, 2048, kFlat),
              9 * (compute + 2 * 16 * allReduce + p2p), 1e-12);
}

TEST(PhaseTimesTest, LayerOverheadPerPass) {
  // 10 us per layer pass. Qwen2.5-0.5B has 24 layers: a decode step and a
  // prefill pass through each once.
  Efficiency overhead = kFlat;
  overhead.layerOverheadUs = 10;
  double bytes = 988010240.0 + 12288.0 * 512 * 384;
  EXPECT_NEAR(decodeStepSeconds(kQwen, h100s(1, 1), 1, 512, 384, overhead),
              bytes / kMemory + 24 * 10e-6, 1e-12);
  EXPECT_NEAR(prefillSeconds(kQwen, h100s(1, 1), 1, 512, 128, overhead),
              993515264.0 * 512 * 128 / kCompute + 24 * 10e-6, 1e-12);
  // Training: 16 micro-batches, each forward + backward = 3 layer passes,
  // 4 with checkpointing (which also recomputes the forward FLOPs).
  TrainLayout layout;
  layout.microBatch = 32;
  EXPECT_NEAR(trainStepSeconds(kQwen, h100s(1, 1), layout, 512, 384, overhead),
              16 * (3 * 1004525312.0 * 32 * 384 / kCompute + 3 * 24 * 10e-6),
              1e-12);
  layout.checkpointing = true;
  EXPECT_NEAR(trainStepSeconds(kQwen, h100s(1, 1), layout, 512, 384, overhead),
              16 * (4 * 1004525312.0 * 32 * 384 / kCompute + 4 * 24 * 10e-6),
              1e-12);
  // Pipelined forward of Llama-7B (32 layers, pp 2: 16 a stage) as in
  // ForwardPassIsATrainingThirdWithoutReduction: each of the 9 slots adds
  // one pass through its stage's 16 layers.
  TrainLayout pipelined;
  pipelined.tp = 8;
  pipelined.pp = 2;
  double compute = 13751558144.0 * 2048 / 16 / kCompute;
  double allReduce = 2 * 7.0 / 8 * (2.0 * 2048 * 4096) / 450e9 + 14 * 5e-6;
  double p2p = 2.0 * 2048 * 4096 / 8 / 50e9 + 15e-6;
  EXPECT_NEAR(forwardSeconds(kLlama, h100s(2, 8), pipelined, 8, 2048, overhead),
              9 * (compute + 2 * 16 * allReduce + p2p + 16 * 10e-6), 1e-12);
  // The default is no overhead.
  EXPECT_DOUBLE_EQ(Efficiency{}.layerOverheadUs, 0);
}

} // namespace
