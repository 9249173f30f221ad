// Collective and transfer times against hand-computed values on the
// dgx-h100-x2 cluster (NVLink 450 GB/s, 5 us; network 50 GB/s, 15 us).
#include "rlg/Planner/Collectives.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

ClusterSpec twoNodes() {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  EXPECT_TRUE(readClusterSpec("nodes = 2\ndevices_per_node = 8\n"
                              "device = \"H100-80GB\"\n",
                              cluster, errors));
  return cluster;
}

TEST(CollectivesTest, LinkOfAGroup) {
  ClusterSpec cluster = twoNodes();
  EXPECT_DOUBLE_EQ(groupLink(cluster, 8).bandwidthGBps, 450);
  EXPECT_DOUBLE_EQ(groupLink(cluster, 16).bandwidthGBps, 50);
}

TEST(CollectivesTest, RingAllReduce) {
  ClusterSpec cluster = twoNodes();
  // 1 GB over 8 GPUs on NVLink: 2 * 7/8 * 1e9 / 450e9 + 14 * 5e-6.
  EXPECT_DOUBLE_EQ(allReduceSeconds(1e9, 8, cluster.intraNode),
                   1.75e9 / 450e9 + 14 * 5e-6);
  // Across both nodes the network sets the pace: 2 * 15/16 * 1e9 / 50e9 +
  // 30 * 15e-6.
  EXPECT_DOUBLE_EQ(allReduceSeconds(1e9, 16, groupLink(cluster, 16)),
                   1.875e9 / 50e9 + 30 * 15e-6);
  EXPECT_DOUBLE_EQ(allReduceSeconds(1e9, 1, cluster.intraNode), 0);
}

TEST(CollectivesTest, AllGatherAndTransfer) {
  ClusterSpec cluster = twoNodes();
  // Half of an all-reduce's traffic and messages.
  EXPECT_DOUBLE_EQ(allGatherSeconds(1e9, 8, cluster.intraNode),
                   0.875e9 / 450e9 + 7 * 5e-6);
  EXPECT_DOUBLE_EQ(transferSeconds(2e9, cluster.interNode), 2e9 / 50e9 + 15e-6);
}

} // namespace
