// Memory fit: Llama-7B trained on one H100 does not fit (16 bytes a
// parameter is 100 GiB); with ZeRO-3 over 8 devices it does.
#include "rlg/Planner/MemoryFit.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

const ModelArch kLlama = *findModelPreset("llama-7b");
const DeviceProfile kH100 = *findDeviceProfile("H100-80GB");

TEST(MemoryFitTest, UsableMemory) {
  // (79.6 - 2) GiB x 0.95.
  EXPECT_DOUBLE_EQ(usableBytes(kH100), 77.6 * 0.95 * 1024 * 1024 * 1024);
}

TEST(MemoryFitTest, ShortfallNamesTheLargestEntries) {
  TrainLayout layout;
  MemoryLedger ledger = trainingMemory(kLlama, layout, 2048);
  std::optional<std::string> why = memoryShortfall(ledger, kH100);
  ASSERT_TRUE(why);
  // 8 N = 50.2 GiB of moments, 4 N = 25.1 GiB each of weights and
  // gradients, 8.0 GiB of activations, 0.5 GiB of logits: 16 x
  // 6,738,415,616 + 8,623,489,024 + 524,288,000 = 116,962,426,880 bytes,
  // 108.9 GiB.
  EXPECT_EQ(*why, "needs 108.9 GiB of 73.7 GiB usable on a H100-80GB: "
                  "optimizer 50.2, weights 25.1, gradients 25.1, "
                  "activations 8.0, logits 0.5");
}

TEST(MemoryFitTest, Zero3OverEightDevicesFits) {
  TrainLayout layout;
  layout.dp = 8;
  layout.zero = 3;
  EXPECT_FALSE(memoryShortfall(trainingMemory(kLlama, layout, 2048), kH100));
}

} // namespace
