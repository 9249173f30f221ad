// Device profiles and cluster files: the datasheet figures, the defaults a
// file inherits, its overrides, and the errors it collects.
#include "rlg/Spec/ClusterSpec.h"

#include <gtest/gtest.h>

using namespace rlg;

namespace {

TEST(DeviceProfilesTest, DatasheetFigures) {
  std::vector<std::string> names = deviceProfileNames();
  EXPECT_EQ(names, (std::vector<std::string>{"A100-80GB", "H100-80GB", "H200",
                                             "H20", "CPU"}));
  auto h100 = findDeviceProfile("h100-80gb"); // case-insensitive
  ASSERT_TRUE(h100);
  EXPECT_DOUBLE_EQ(h100->peakTflops, 989);    // dense bf16
  EXPECT_DOUBLE_EQ(h100->memoryGBps, 3350);   // HBM3
  EXPECT_DOUBLE_EQ(h100->intraNodeGBps, 450); // NVLink 4: 900 GB/s both ways
  auto h200 = findDeviceProfile("H200");
  ASSERT_TRUE(h200);
  EXPECT_DOUBLE_EQ(h200->memoryGiB, 140.4);
  EXPECT_DOUBLE_EQ(h200->memoryGBps, 4800);
  auto h20 = findDeviceProfile("H20");
  ASSERT_TRUE(h20);
  EXPECT_DOUBLE_EQ(h20->peakTflops, 148);
  auto a100 = findDeviceProfile("A100-80GB");
  ASSERT_TRUE(a100);
  EXPECT_DOUBLE_EQ(a100->peakTflops, 312);
  EXPECT_DOUBLE_EQ(a100->memoryGBps, 2039);
  EXPECT_FALSE(findDeviceProfile("H100"));
}

TEST(ClusterSpecTest, DefaultsComeFromTheProfile) {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  ASSERT_TRUE(readClusterSpec(
      "nodes = 4\ndevices_per_node = 8\ndevice = \"A100-80GB\"\n", cluster,
      errors));
  EXPECT_EQ(cluster.deviceCount(), 32);
  EXPECT_DOUBLE_EQ(cluster.intraNode.bandwidthGBps, 300);
  EXPECT_DOUBLE_EQ(cluster.interNode.bandwidthGBps, 25);
  EXPECT_DOUBLE_EQ(cluster.host.bandwidthGBps, 32);
  EXPECT_DOUBLE_EQ(cluster.intraNode.latencyUs, 5);
  EXPECT_DOUBLE_EQ(cluster.interNode.latencyUs, 15);
  EXPECT_EQ(describeCluster(cluster),
            "4 nodes x 8 A100-80GB (32 devices, 80 GiB each)");
}

TEST(ClusterSpecTest, OverridesAndLinks) {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  ASSERT_TRUE(readClusterSpec(R"(
name = "h20-pod"
nodes = 1
devices_per_node = 8
device = "H20"
[device_overrides]
memory_gib = 90
peak_tflops = 140.5
[links.host]
bandwidth_gbps = 48
latency_us = 0
)",
                              cluster, errors));
  EXPECT_EQ(cluster.name, "h20-pod");
  EXPECT_DOUBLE_EQ(cluster.device.memoryGiB, 90);
  EXPECT_DOUBLE_EQ(cluster.device.peakTflops, 140.5);
  EXPECT_DOUBLE_EQ(cluster.device.memoryGBps, 4000); // not overridden
  EXPECT_DOUBLE_EQ(cluster.host.bandwidthGBps, 48);
  EXPECT_DOUBLE_EQ(cluster.host.latencyUs, 0);
}

TEST(ClusterSpecTest, CollectsEveryErrorWithItsPlace) {
  ClusterSpec cluster;
  cluster.name = "untouched";
  std::vector<ClusterError> errors;
  EXPECT_FALSE(readClusterSpec("nodes = -1\ndevices_per_node = 8\n"
                               "device = \"B200\"\n[links.intra_node]\n"
                               "bandwidth = 1\n",
                               cluster, errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_EQ(errors[0].message, "'nodes' must be at least 1, got -1");
  EXPECT_EQ(errors[1].line, 3);
  EXPECT_EQ(errors[1].message, "unknown device profile 'B200'");
  EXPECT_EQ(errors[2].line, 5);
  EXPECT_EQ(errors[2].message, "unknown key 'bandwidth' in [links.intra_node]");
  EXPECT_EQ(cluster.name, "untouched"); // nothing written on failure
}

} // namespace
