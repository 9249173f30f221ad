// Unit tests for the runtime's LibTorch build report and its tensor self-test.
#include "rlg/Runtime/RuntimeInfo.h"

#include <gtest/gtest.h>

#include <cctype>

using namespace rlg::runtime;

namespace {

TEST(RuntimeInfoTest, TorchVersionStartsWithADigit) {
  RuntimeInfo info = queryRuntimeInfo();
  ASSERT_FALSE(info.torchVersion.empty());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(info.torchVersion[0])))
      << info.torchVersion;
  EXPECT_NE(info.torchVersion.find('.'), std::string::npos)
      << info.torchVersion;
}

TEST(RuntimeInfoTest, NoCudaMeansNoDevices) {
  RuntimeInfo info = queryRuntimeInfo();
  EXPECT_GE(info.cudaDevices, 0);
  if (!info.cudaAvailable) {
    EXPECT_EQ(info.cudaDevices, 0);
  } else {
    EXPECT_GT(info.cudaDevices, 0);
  }
}

TEST(RuntimeInfoTest, QueryIsStable) {
  RuntimeInfo a = queryRuntimeInfo();
  RuntimeInfo b = queryRuntimeInfo();
  EXPECT_EQ(a.torchVersion, b.torchVersion);
  EXPECT_EQ(a.cudaAvailable, b.cudaAvailable);
  EXPECT_EQ(a.cudaDevices, b.cudaDevices);
}

TEST(RuntimeInfoTest, SelfTestMatmulSumsToThirty) {
  // arange(6) as [[0,1,2],[3,4,5]] times a 3x2 matrix of ones gives
  // [[3,3],[12,12]], which sums to 30.
  EXPECT_DOUBLE_EQ(runtimeSelfTest(), 30.0);
}

} // namespace
