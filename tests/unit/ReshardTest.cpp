// Resharding times against hand-derived values on one DGX H100 node
// (NVLink 450 GB/s, 5 us per message).
#include "rlg/Planner/Reshard.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

ClusterSpec oneNode() {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  EXPECT_TRUE(readClusterSpec(
      "nodes = 1\ndevices_per_node = 8\ndevice = \"H100-80GB\"\n", cluster,
      errors));
  return cluster;
}

const ModelArch kLlama = *findModelPreset("llama-7b");

TEST(ReshardTest, TensorCount) {
  EXPECT_EQ(weightTensorCount(kLlama), 9 * 32 + 3); // untied head
  EXPECT_EQ(weightTensorCount(*findModelPreset("qwen2.5-0.5b")), 9 * 24 + 2);
}

TEST(ReshardTest, GatherWithinMicroDataParallelGroups) {
  // Trained with tp 8, generated with tp 2: groups of 4 gather a quarter
  // each of a 2 x 6,738,415,616 / 2-byte shard (3/4 of it crosses), plus
  // 291 tensors x 3 hops x 5 us.
  double shard = 2.0 * 6738415616.0 / 2;
  EXPECT_NEAR(reshardSeconds(kLlama, oneNode(), 8, 1, 2),
              0.75 * shard / 450e9 + 291 * 3 * 5e-6, 1e-12);
  // Pipeline stages count as shards too: tp 2 x pp 2 -> tp 1, groups of 4.
  EXPECT_NEAR(reshardSeconds(kLlama, oneNode(), 2, 2, 1),
              0.75 * 2.0 * 6738415616.0 / 450e9 + 291 * 3 * 5e-6, 1e-12);
}

TEST(ReshardTest, NothingMovesWhenGenerationShardsAreSlices) {
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), 2, 1, 2), 0);
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), 2, 1, 8), 0);
  EXPECT_DOUBLE_EQ(reshardSeconds(kLlama, oneNode(), 1, 1, 1), 0);
}

} // namespace
