// What one model costs on one device: FLOPs per token, and the memory ledger
// of a training or a generation layout. docs/cost-model.md derives each
// formula.
#pragma once

#include "rlg/Spec/ModelPresets.h"

#include <cstdint>

namespace rlg::planner {

/// How a model is trained: data, tensor and pipeline parallel sizes, the
/// ZeRO stage (0-3, over dp), the micro-batch in sequences, how many
/// micro-batches a pipeline flush holds, and activation checkpointing.
struct TrainLayout {
  int64_t dp = 1, tp = 1, pp = 1;
  int zero = 0;
  int64_t microBatch = 1;
  int64_t microBatches = 1;
  bool checkpointing = false;
};

/// Bytes on one device, by kind.
struct MemoryLedger {
  double weights = 0;
  double gradients = 0;
  double optimizer = 0;
  double activations = 0;
  double kvCache = 0;
  double buffers = 0; // logits and their gradient
  double total() const {
    return weights + gradients + optimizer + activations + kvCache + buffers;
  }
};

/// Parameters multiplied in matmuls per token: everything but the input
/// embedding lookup (the output head counts, tied or not).
int64_t matmulParameters(const ModelArch &arch);
/// FLOPs of one causal forward pass per token, averaged over a sequence of
/// `seq` tokens: 2 per matmul parameter, plus 2 * layers * hidden * seq for
/// QK^T and attention x V over the average context seq / 2.
double forwardFlopsPerToken(const ModelArch &arch, int64_t seq);
/// Forward and backward: three forward passes' FLOPs (four with activation
/// checkpointing, which runs the forward again).
double trainFlopsPerToken(const ModelArch &arch, int64_t seq,
                          bool checkpointing);

/// Activation bytes one layer keeps per token for backward (bf16, flash
/// attention, no dropout): 12h + 4k + 6f for hidden h, key/value width k and
/// FFN width f.
double activationBytesPerTokenPerLayer(const ModelArch &arch);
/// KV-cache bytes per token on one device of a tensor-parallel group of
/// `tp` (bf16 keys and values; KV heads are split up to their number, then
/// replicated).
double kvCacheBytesPerToken(const ModelArch &arch, int64_t tp, int64_t pp = 1);

/// One device's memory while the model trains on sequences of `seq`
/// tokens: 16 bytes per parameter (fp32 weights, fp32 gradients, AdamW's
/// two fp32 moments) sharded by tp x pp and by ZeRO over dp, the
/// activations of the micro-batches in flight, and the fp32 logits.
MemoryLedger trainingMemory(const ModelArch &arch, const TrainLayout &layout,
                            int64_t seq);
/// One device's memory while the model generates: bf16 weights over
/// tp x pp, and the KV cache of `sequences` sequences of `seq` tokens.
MemoryLedger generationMemory(const ModelArch &arch, int64_t tp, int64_t pp,
                              int64_t sequences, int64_t seq);

/// Bytes one device reads from its memory for one decode step of `batch`
/// sequences at context `context`: its share of the bf16 weights, read
/// once, and its share of every sequence's KV cache.
double decodeBytesPerStep(const ModelArch &arch, int64_t tp, int64_t batch,
                          int64_t context);

} // namespace rlg::planner
