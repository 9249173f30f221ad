// Phase times from FLOPs, memory traffic and collectives (formulas and
// sources in docs/cost-model.md, "Times").
#include "rlg/Planner/PhaseTimes.h"

#include "rlg/Planner/Collectives.h"

#include <algorithm>

namespace rlg::planner {

namespace {

double perDeviceWidth(const ModelArch &arch, int64_t tp) {
  return static_cast<double>(arch.hidden) / static_cast<double>(tp);
}

/// The fixed overhead of `layerPasses` passes through single layers.
double overheadSeconds(double layerPasses, const Efficiency &efficiency) {
  return layerPasses * efficiency.layerOverheadUs * 1e-6;
}

/// One pass (forward, or forward and backward) of `sequences` sequences
/// through a replica's pipeline: `passes` forward passes' FLOPs and weight
/// reads per micro-batch and stage, `layerPasses` passes' overhead per layer
/// of the stage, `collectivesPerLayer` TP all-reduces per layer, m + p - 1
/// pipeline slots.
double pipelinedSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                        const TrainLayout &layout, int64_t sequences,
                        int64_t seq, double flopsPerToken, double passes,
                        double layerPasses, double collectivesPerLayer,
                        const Efficiency &efficiency) {
  double perReplica =
      static_cast<double>(sequences) / static_cast<double>(layout.dp);
  double microBatches =
      std::max(1.0, perReplica / static_cast<double>(layout.microBatch));
  double tokens = static_cast<double>(layout.microBatch * seq);
  int64_t shards = layout.tp * layout.pp;
  // One micro-batch through one stage.
  double flops = flopsPerToken * tokens / static_cast<double>(shards);
  double weights = passes * 2.0 * static_cast<double>(arch.parameterCount()) /
                   static_cast<double>(shards);
  double stage = rooflineSeconds(flops, weights, cluster.device, efficiency,
                                 tokens, perDeviceWidth(arch, layout.tp));
  double message = 2.0 * tokens * static_cast<double>(arch.hidden);
  double layersPerStage =
      static_cast<double>(arch.layers) / static_cast<double>(layout.pp);
  stage += collectivesPerLayer * layersPerStage *
           allReduceSeconds(message, layout.tp, groupLink(cluster, layout.tp));
  stage += overheadSeconds(layerPasses * layersPerStage, efficiency);
  // Each stage boundary passes the activations on (and their gradient
  // back): one message per pass of each device's 1/tp slice.
  if (layout.pp > 1)
    stage += (passes > 1 ? 2.0 : 1.0) *
             transferSeconds(message / static_cast<double>(layout.tp),
                             groupLink(cluster, shards));
  // m micro-batches plus the p - 1 slots of the pipeline's fill and drain.
  return stage * (microBatches + static_cast<double>(layout.pp) - 1.0);
}

} // namespace

double computeFraction(const Efficiency &efficiency, double rows,
                       double width) {
  double fraction = efficiency.compute;
  if (efficiency.halfRows > 0)
    fraction *= rows / (rows + efficiency.halfRows);
  if (efficiency.halfWidth > 0)
    fraction *= width / (width + efficiency.halfWidth);
  return fraction;
}

double rooflineSeconds(double flops, double bytes, const DeviceProfile &device,
                       const Efficiency &efficiency) {
  return std::max(flops / (device.peakTflops * 1e12 * efficiency.compute),
                  bytes / (device.memoryGBps * 1e9 * efficiency.memory));
}

double rooflineSeconds(double flops, double bytes, const DeviceProfile &device,
                       const Efficiency &efficiency, double rows,
                       double width) {
  Efficiency shaped = efficiency;
  shaped.compute = computeFraction(efficiency, rows, width);
  return rooflineSeconds(flops, bytes, device, shaped);
}

double decodeStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                         int64_t tp, int64_t batch, int64_t context,
                         const Efficiency &efficiency) {
  double flops = forwardFlopsPerToken(arch, 2 * context) *
                 static_cast<double>(batch) / static_cast<double>(tp);
  double compute = rooflineSeconds(
      flops, decodeBytesPerStep(arch, tp, batch, context), cluster.device,
      efficiency, static_cast<double>(batch), perDeviceWidth(arch, tp));
  double message = 2.0 * static_cast<double>(batch * arch.hidden);
  double collectives = 2.0 * static_cast<double>(arch.layers) *
                       allReduceSeconds(message, tp, groupLink(cluster, tp));
  return compute +
         overheadSeconds(static_cast<double>(arch.layers), efficiency) +
         collectives;
}

double prefillSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      int64_t tp, int64_t sequences, int64_t seq,
                      const Efficiency &efficiency) {
  double tokens = static_cast<double>(sequences * seq);
  double flops =
      forwardFlopsPerToken(arch, seq) * tokens / static_cast<double>(tp);
  double weights = 2.0 * static_cast<double>(arch.parameterCount()) /
                   static_cast<double>(tp);
  double compute = rooflineSeconds(flops, weights, cluster.device, efficiency,
                                   tokens, perDeviceWidth(arch, tp));
  double message = 2.0 * tokens * static_cast<double>(arch.hidden);
  double collectives = 2.0 * static_cast<double>(arch.layers) *
                       allReduceSeconds(message, tp, groupLink(cluster, tp));
  return compute +
         overheadSeconds(static_cast<double>(arch.layers), efficiency) +
         collectives;
}

double trainStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                        const TrainLayout &layout, int64_t sequences,
                        int64_t seq, const Efficiency &efficiency) {
  // Forward and backward each all-reduce the activations twice per layer;
  // backward costs two layer passes, and checkpointing runs forward again.
  double pipeline =
      pipelinedSeconds(arch, cluster, layout, sequences, seq,
                       trainFlopsPerToken(arch, seq, layout.checkpointing), 3.0,
                       layout.checkpointing ? 4.0 : 3.0, 4.0, efficiency);
  // fp32 gradients, reduced over the data-parallel group, which spans
  // tp x dp consecutive devices.
  double gradients = 4.0 * static_cast<double>(arch.parameterCount()) /
                     static_cast<double>(layout.tp * layout.pp);
  double reduce = allReduceSeconds(gradients, layout.dp,
                                   groupLink(cluster, layout.dp * layout.tp));
  if (layout.zero >= 3)
    reduce *= 1.5; // the weights are gathered again for the backward pass
  return pipeline + reduce;
}

double forwardSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      const TrainLayout &layout, int64_t sequences, int64_t seq,
                      const Efficiency &efficiency) {
  return pipelinedSeconds(arch, cluster, layout, sequences, seq,
                          forwardFlopsPerToken(arch, seq), 1.0, 1.0, 2.0,
                          efficiency);
}

} // namespace rlg::planner
