// FLOPs, activation, KV-cache and parameter memory of one model on one
// device (formulas and sources in docs/cost-model.md).
#include "rlg/Planner/ModelCosts.h"

#include <algorithm>

namespace rlg::planner {

namespace {

int64_t headDim(const ModelArch &arch) {
  return arch.heads > 0 ? arch.hidden / arch.heads : 0;
}

/// Key/value width: kv heads x head dim.
double kvWidth(const ModelArch &arch) {
  return static_cast<double>(arch.kvHeads * headDim(arch));
}

} // namespace

int64_t matmulParameters(const ModelArch &arch) {
  // The input embedding is a lookup; a tied head reuses it as a matmul.
  return arch.parameterCount() -
         (arch.tieEmbeddings ? 0 : arch.vocab * arch.hidden);
}

double forwardFlopsPerToken(const ModelArch &arch, int64_t seq) {
  return 2.0 * static_cast<double>(matmulParameters(arch)) +
         2.0 * static_cast<double>(arch.layers) *
             static_cast<double>(arch.hidden) * static_cast<double>(seq);
}

double trainFlopsPerToken(const ModelArch &arch, int64_t seq,
                          bool checkpointing) {
  return (checkpointing ? 4.0 : 3.0) * forwardFlopsPerToken(arch, seq);
}

double activationBytesPerTokenPerLayer(const ModelArch &arch) {
  double h = static_cast<double>(arch.hidden);
  double f = static_cast<double>(arch.ffn);
  return 12.0 * h + 4.0 * kvWidth(arch) + 6.0 * f;
}

double kvCacheBytesPerToken(const ModelArch &arch, int64_t tp, int64_t pp) {
  // Keys and values, bf16, every layer; a device holds kvHeads / tp heads
  // while tp <= kvHeads, and one head beyond.
  double split = static_cast<double>(std::min(tp, arch.kvHeads));
  return 2.0 * 2.0 * static_cast<double>(arch.layers) * kvWidth(arch) / split /
         static_cast<double>(pp);
}

MemoryLedger trainingMemory(const ModelArch &arch, const TrainLayout &layout,
                            int64_t seq) {
  double params = static_cast<double>(arch.parameterCount()) /
                  static_cast<double>(layout.tp * layout.pp);
  double dp = static_cast<double>(layout.dp);
  MemoryLedger ledger;
  ledger.weights = 4.0 * params / (layout.zero >= 3 ? dp : 1.0);
  ledger.gradients = 4.0 * params / (layout.zero >= 2 ? dp : 1.0);
  ledger.optimizer = 8.0 * params / (layout.zero >= 1 ? dp : 1.0);
  double tokens = static_cast<double>(layout.microBatch * seq);
  double layers =
      static_cast<double>(arch.layers) / static_cast<double>(layout.pp);
  double perLayer = activationBytesPerTokenPerLayer(arch) * tokens /
                    static_cast<double>(layout.tp);
  // 1F1B: the first stage holds up to pp micro-batches' activations.
  double inFlight =
      static_cast<double>(std::min(layout.pp, layout.microBatches));
  if (layout.checkpointing) {
    // Each layer keeps its bf16 input; one layer is recomputed at a time.
    double input = 2.0 * static_cast<double>(arch.hidden) * tokens /
                   static_cast<double>(layout.tp);
    ledger.activations = input * layers * inFlight + perLayer;
  } else {
    ledger.activations = perLayer * layers * inFlight;
  }
  // fp32 logits and their gradient, vocabulary split over tp.
  ledger.buffers = 8.0 * tokens * static_cast<double>(arch.vocab) /
                   static_cast<double>(layout.tp);
  return ledger;
}

MemoryLedger generationMemory(const ModelArch &arch, int64_t tp, int64_t pp,
                              int64_t sequences, int64_t seq) {
  MemoryLedger ledger;
  ledger.weights = 2.0 * static_cast<double>(arch.parameterCount()) /
                   static_cast<double>(tp * pp);
  ledger.kvCache =
      kvCacheBytesPerToken(arch, tp, pp) * static_cast<double>(sequences * seq);
  return ledger;
}

double decodeBytesPerStep(const ModelArch &arch, int64_t tp, int64_t batch,
                          int64_t context) {
  return 2.0 * static_cast<double>(arch.parameterCount()) /
             static_cast<double>(tp) +
         kvCacheBytesPerToken(arch, tp) * static_cast<double>(batch * context);
}

} // namespace rlg::planner
