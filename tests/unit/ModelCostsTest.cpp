// The cost model's per-model formulas against values worked out by hand
// (docs/cost-model.md has the formulas; the comments the arithmetic).
#include "rlg/Planner/ModelCosts.h"

#include <gtest/gtest.h>

using namespace rlg;
using namespace rlg::planner;

namespace {

ModelArch preset(const std::string &name) {
  std::optional<ModelArch> arch = findModelPreset(name);
  EXPECT_TRUE(arch) << name;
  return arch.value_or(ModelArch{});
}

// Llama-7B: 32 layers, hidden 4096, FFN 11008, 32 heads = 32 KV heads of
// 128, vocab 32000, untied. Per layer 2*4096^2 + 2*4096*4096 (attention) +
// 3*4096*11008 (MLP) + 2*4096 (norms) = 202,383,360; x 32 + 2*32000*4096
// (embeddings) + 4096 (final norm) = 6,738,415,616.
TEST(ModelCostsTest, Llama7bFlops) {
  ModelArch llama = preset("llama-7b");
  EXPECT_EQ(llama.parameterCount(), 6738415616);
  // The input embedding (32000 x 4096) is a lookup, not a matmul.
  EXPECT_EQ(matmulParameters(llama), 6738415616 - 131072000);
  // 2 * 6,607,343,616 + 2 * 32 * 4096 * 2048.
  EXPECT_DOUBLE_EQ(forwardFlopsPerToken(llama, 2048), 13751558144.0);
  EXPECT_DOUBLE_EQ(trainFlopsPerToken(llama, 2048, false), 3 * 13751558144.0);
  EXPECT_DOUBLE_EQ(trainFlopsPerToken(llama, 2048, true), 4 * 13751558144.0);
}

TEST(ModelCostsTest, ActivationAndKvBytes) {
  // Tiny: h 64, 2 KV heads of 16 (k 32), f 176: 12*64 + 4*32 + 6*176.
  EXPECT_DOUBLE_EQ(activationBytesPerTokenPerLayer(preset("tiny")), 1952);
  ModelArch llama = preset("llama-7b");
  // 12*4096 + 4*4096 + 6*11008.
  EXPECT_DOUBLE_EQ(activationBytesPerTokenPerLayer(llama), 131584);
  // Keys and values, bf16, 32 layers x 4096: 512 KiB a token.
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(llama, 1), 524288);
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(llama, 8), 65536);
  // Past 32 KV heads a device still holds one head.
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(llama, 64), 16384);
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(llama, 8, 2), 32768);
  // Qwen2.5-0.5B: 24 layers, 2 KV heads of 64: 4 * 24 * 128 bytes; TP 4
  // splits the 2 heads only in two.
  ModelArch qwen = preset("qwen2.5-0.5b");
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(qwen, 1), 12288);
  EXPECT_DOUBLE_EQ(kvCacheBytesPerToken(qwen, 4), 6144);
}

TEST(ModelCostsTest, TrainingLedgerWithZero1) {
  ModelArch llama = preset("llama-7b");
  TrainLayout layout;
  layout.dp = 8;
  layout.zero = 1;
  layout.microBatch = 1;
  MemoryLedger m = trainingMemory(llama, layout, 2048);
  const double n = 6738415616.0;
  EXPECT_DOUBLE_EQ(m.weights, 4 * n);
  EXPECT_DOUBLE_EQ(m.gradients, 4 * n);
  EXPECT_DOUBLE_EQ(m.optimizer, 8 * n / 8); // sharded over dp
  // 131,584 bytes x 2048 tokens x 32 layers.
  EXPECT_DOUBLE_EQ(m.activations, 8623489024.0);
  // fp32 logits and gradient: 8 x 2048 x 32000.
  EXPECT_DOUBLE_EQ(m.buffers, 524288000.0);
  EXPECT_DOUBLE_EQ(m.kvCache, 0);

  layout.zero = 3;
  layout.checkpointing = true;
  m = trainingMemory(llama, layout, 2048);
  EXPECT_DOUBLE_EQ(m.weights, 4 * n / 8);
  EXPECT_DOUBLE_EQ(m.gradients, 4 * n / 8);
  // Inputs 2 x 4096 x 2048 per layer x 32, plus one layer recomputed.
  EXPECT_DOUBLE_EQ(m.activations, 536870912.0 + 269484032.0);
}

TEST(ModelCostsTest, TensorAndPipelineSplits) {
  ModelArch llama = preset("llama-7b");
  TrainLayout layout;
  layout.tp = 4;
  layout.pp = 2;
  layout.microBatches = 8;
  MemoryLedger m = trainingMemory(llama, layout, 1024);
  const double n = 6738415616.0;
  EXPECT_DOUBLE_EQ(m.weights, 4 * n / 8);
  // Per layer 131,584 x 1024 / 4; 16 layers a stage; 2 micro-batches in
  // flight on the first stage.
  EXPECT_DOUBLE_EQ(m.activations, 131584.0 * 1024 / 4 * 16 * 2);
  EXPECT_DOUBLE_EQ(m.buffers, 8.0 * 1024 * 32000 / 4);
}

TEST(ModelCostsTest, GenerationOfTheBenchmarkShape) {
  // The GRPO benchmark: Qwen2.5-0.5B (494,005,120 parameters), 64 x 8
  // sequences of 128 + 256 tokens, one device.
  ModelArch qwen = preset("qwen2.5-0.5b");
  EXPECT_EQ(qwen.parameterCount(), 494005120);
  MemoryLedger m = generationMemory(qwen, 1, 1, 512, 384);
  EXPECT_DOUBLE_EQ(m.weights, 988010240.0);
  EXPECT_DOUBLE_EQ(m.kvCache, 12288.0 * 512 * 384);
  // The last decode step reads the weights once and every KV entry.
  EXPECT_DOUBLE_EQ(decodeBytesPerStep(qwen, 1, 512, 384),
                   988010240.0 + 12288.0 * 512 * 384);
}

} // namespace
