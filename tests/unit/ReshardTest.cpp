// Resharding times against hand-derived values on one DGX H100 node
// (NVLink 450 GB/s, 5 us per message).
#include "PlannerTestSupport.h"

#include "rlg/Planner/Reshard.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

ClusterSpec oneNode() { return rlg::planner::testing::makeCluster(1, 8); }
ClusterSpec twoNodes() { return rlg::planner::testing::makeCluster(2, 8); }

const ModelArch kLlama = *findModelPreset("llama-7b");

TEST(ReshardTest, TensorCount) {
  EXPECT_EQ(weightTensorCount(kLlama), 9 * 32 + 3); // untied head
  EXPECT_EQ(weightTensorCount(*findModelPreset("qwen2.5-0.5b")), 9 * 24 + 2);
}

TrainLayout layout(int64_t tp, int64_t pp, int64_t dp = 1, int zero = 0) {
  TrainLayout train;
  train.tp = tp;
  train.pp = pp;
  train.dp = dp;
  train.zero = zero;
  return train;
}

TEST(ReshardTest, GatherWithinMicroDataParallelGroups) {
  // Trained with tp 8, generated with tp 2: groups of 4 gather a quarter
  // each of a 2 x 6,738,415,616 / 2-byte shard (3/4 of it crosses), plus
  // 291 tensors x 3 hops x 5 us.
  double shard = 2.0 * 6738415616.0 / 2;
  EXPECT_NEAR(reshardSeconds(kLlama, oneNode(), layout(8, 1), 2),
              0.75 * shard / 450e9 + 291 * 3 * 5e-6, 1e-12);
  // Pipeline stages count as shards too: tp 2 x pp 2 -> tp 1, groups of 4.
  EXPECT_NEAR(reshardSeconds(kLlama, oneNode(), layout(2, 2), 1),
              0.75 * 2.0 * 6738415616.0 / 450e9 + 291 * 3 * 5e-6, 1e-12);
}

TEST(ReshardTest, PipelineStagesAreNeverSlicesOfAGenerationShard) {
  // tp 1 x pp 2 -> tp 2: a device holds half the layers whole and needs half
  // of every layer; it has a quarter of the weights of it and gathers the
  // other quarter from the other stage (groups of 2).
  double shard = 2.0 * 6738415616.0 / 2;
  EXPECT_NEAR(reshardSeconds(kLlama, oneNode(), layout(1, 2), 2),
              0.5 * shard / 450e9 + 291 * 1 * 5e-6, 1e-12);
}

TEST(ReshardTest, ZeroThreeGathersAcrossDataParallelRanks) {
  // ZeRO-3 over dp 8 with tp 1 x pp 2 on 16 GPUs -> tp 2: each device holds
  // 1/16 of the weights, so groups of 16 gather a tp-2 shard over the
  // network (50 GB/s, 15 us per message): 15/16 of it crosses.
  double shard = 2.0 * 6738415616.0 / 2;
  EXPECT_NEAR(reshardSeconds(kLlama, twoNodes(), layout(1, 2, 8, 3), 2),
              15.0 / 16.0 * shard / 50e9 + 291 * 15 * 15e-6, 1e-12);
  // ZeRO-1 and 2 keep whole weights on every data-parallel rank.
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, twoNodes(), layout(2, 1, 8, 2), 2),
                   0);
}

TEST(ReshardTest, NothingMovesWhenGenerationShardsAreSlices) {
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), layout(2, 1), 2), 0);
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), layout(2, 1), 8), 0);
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), layout(1, 1), 1), 0);
}

} // namespace
