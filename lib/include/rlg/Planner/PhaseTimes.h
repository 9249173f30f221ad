// Predicted times of a model's phases on one layout: prefill and training
// as compute (a roofline with achievable fractions of the datasheet peaks),
// decode as memory traffic, a fixed overhead per layer pass, plus the
// tensor-parallel and data-parallel collectives and the pipeline bubble.
// docs/cost-model.md, "Times".
#pragma once

#include "rlg/Planner/ModelCosts.h"
#include "rlg/Spec/ClusterSpec.h"

namespace rlg::planner {

/// The fractions of the datasheet peaks that real kernels reach; defaults
/// until `rlg calibrate` measures them.
struct Efficiency {
  double compute = 0.6; // of the bf16 tensor-core peak (large GEMMs)
  double memory = 0.8;  // of the HBM bandwidth (decode's weight streaming)
  /// Matmuls reach half of `compute` at this many rows (tokens per
  /// micro-batch on a device) and at this output width per device
  /// (hidden / tp); 0 turns the saturation off.
  double halfRows = 64;
  double halfWidth = 128;
  /// Microseconds each transformer layer costs per pass regardless of its
  /// size: kernel launches and framework dispatch. 0 by default (CUDA graphs
  /// in decode and asynchronous launches in training hide most of it on a
  /// GPU); `rlg calibrate` fits it.
  double layerOverheadUs = 0;
};

/// The compute fraction reached by matmuls of `rows` tokens and a
/// per-device width of `width` columns:
/// compute * rows / (rows + halfRows) * width / (width + halfWidth).
double computeFraction(const Efficiency &efficiency, double rows, double width);

/// max(FLOPs / achievable FLOP/s, bytes / achievable bandwidth): the time
/// of work that streams `bytes` through device memory while computing.
double rooflineSeconds(double flops, double bytes, const DeviceProfile &device,
                       const Efficiency &efficiency);
/// The same with the compute fraction of matmuls of `rows` x `width`.
double rooflineSeconds(double flops, double bytes, const DeviceProfile &device,
                       const Efficiency &efficiency, double rows, double width);

/// One decode step of `batch` sequences at context `context` on a
/// tensor-parallel group of `tp` devices: decodeBytesPerStep over the
/// memory bandwidth, its FLOPs over the compute peak (the larger wins), the
/// overhead of one pass through every layer, and two all-reduces per layer
/// of the step's activations (batch x hidden, bf16).
double decodeStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                         int64_t tp, int64_t batch, int64_t context,
                         const Efficiency &efficiency);

/// Prefilling `sequences` prompts of `seq` tokens on a group of `tp`
/// devices: forward FLOPs over compute, the overhead of one pass through
/// every layer, plus two all-reduces per layer.
double prefillSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      int64_t tp, int64_t sequences, int64_t seq,
                      const Efficiency &efficiency);

/// One optimiser step over `sequences` sequences of `seq` tokens with
/// `layout`: each data-parallel replica trains sequences / dp of them in
/// micro-batches through its pipeline (bubble (p - 1) / m of the ideal
/// time), with four tensor-parallel collectives per layer per micro-batch
/// and the overhead of three layer passes (four with checkpointing),
/// then the gradients are reduced over dp (all-reduce, or reduce-scatter +
/// all-gather of the weights with ZeRO 1-2, the same traffic; ZeRO 3 also
/// all-gathers the weights for the backward pass, 1.5 times the traffic).
double trainStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                        const TrainLayout &layout, int64_t sequences,
                        int64_t seq, const Efficiency &efficiency);
/// A forward pass (logprob, value, score) over `sequences` sequences of
/// `seq` tokens with `layout`: as a training step's forward third (one
/// layer pass of overhead), without the gradient reduction.
double forwardSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      const TrainLayout &layout, int64_t sequences, int64_t seq,
                      const Efficiency &efficiency);

} // namespace rlg::planner
