// Phase times from FLOPs, memory traffic and collectives (formulas and
// sources in docs/cost-model.md, "Times").
#include "rlg/Planner/PhaseTimes.h"

#include "rlg/Planner/Collectives.h"

#include <algorithm>

namespace rlg::planner {

double rooflineSeconds(double flops, double bytes, const DeviceProfile &device,
                       const Efficiency &efficiency) {
  return std::max(flops / (device.peakTflops * 1e12 * efficiency.compute),
                  bytes / (device.memoryGBps * 1e9 * efficiency.memory));
}

double decodeStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                         int64_t tp, int64_t batch, int64_t context,
                         const Efficiency &efficiency) {
  double flops = forwardFlopsPerToken(arch, 2 * context) *
                 static_cast<double>(batch) / static_cast<double>(tp);
  double compute =
      rooflineSeconds(flops, decodeBytesPerStep(arch, tp, batch, context),
                      cluster.device, efficiency);
  double message = 2.0 * static_cast<double>(batch * arch.hidden);
  double collectives = 2.0 * static_cast<double>(arch.layers) *
                       allReduceSeconds(message, tp, groupLink(cluster, tp));
  return compute + collectives;
}

double prefillSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      int64_t tp, int64_t sequences, int64_t seq,
                      const Efficiency &efficiency) {
  double tokens = static_cast<double>(sequences * seq);
  double flops =
      forwardFlopsPerToken(arch, seq) * tokens / static_cast<double>(tp);
  double weights = 2.0 * static_cast<double>(arch.parameterCount()) /
                   static_cast<double>(tp);
  double compute = rooflineSeconds(flops, weights, cluster.device, efficiency);
  double message = 2.0 * tokens * static_cast<double>(arch.hidden);
  double collectives = 2.0 * static_cast<double>(arch.layers) *
                       allReduceSeconds(message, tp, groupLink(cluster, tp));
  return compute + collectives;
}

double trainStepSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                        const TrainLayout &layout, int64_t sequences,
                        int64_t seq, const Efficiency &efficiency) {
  double perReplica =
      static_cast<double>(sequences) / static_cast<double>(layout.dp);
  double microBatches =
      std::max(1.0, perReplica / static_cast<double>(layout.microBatch));
  double tokens = static_cast<double>(layout.microBatch * seq);
  int64_t shards = layout.tp * layout.pp;
  // One micro-batch through one stage.
  double flops = trainFlopsPerToken(arch, seq, layout.checkpointing) * tokens /
                 static_cast<double>(shards);
  double weights = 3.0 * 2.0 * static_cast<double>(arch.parameterCount()) /
                   static_cast<double>(shards);
  double stage = rooflineSeconds(flops, weights, cluster.device, efficiency);
  // Forward and backward each all-reduce the activations twice per layer.
  double message = 2.0 * tokens * static_cast<double>(arch.hidden);
  double layersPerStage =
      static_cast<double>(arch.layers) / static_cast<double>(layout.pp);
  stage += 4.0 * layersPerStage *
           allReduceSeconds(message, layout.tp, groupLink(cluster, layout.tp));
  // m micro-batches plus the p - 1 slots of the pipeline's fill and drain.
  double pipeline =
      stage * (microBatches + static_cast<double>(layout.pp) - 1.0);
  // fp32 gradients, reduced over the data-parallel group, which spans
  // tp x dp consecutive devices.
  double gradients = 4.0 * static_cast<double>(arch.parameterCount()) /
                     static_cast<double>(shards);
  double reduce = allReduceSeconds(gradients, layout.dp,
                                   groupLink(cluster, layout.dp * layout.tp));
  return pipeline + reduce;
}

} // namespace rlg::planner
