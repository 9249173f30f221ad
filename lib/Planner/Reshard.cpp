// Training-to-generation resharding time: all-gather volume within
// micro-DP groups plus a latency per tensor and hop.
#include "rlg/Planner/Reshard.h"

#include "rlg/Planner/Collectives.h"

#include <algorithm>

namespace rlg::planner {

int64_t weightTensorCount(const ModelArch &arch) {
  return 9 * arch.layers + 2 + (arch.tieEmbeddings ? 0 : 1);
}

double reshardSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      const TrainLayout &train, int64_t genTp) {
  // A device's training shard is 1/(tp pp) of the weights, 1/(tp pp dp)
  // under ZeRO-3; its generation shard is 1/genTp of every layer. With
  // aligned ranks the two overlap in 1/(max(tp, genTp) pp z) of the
  // weights, so g = max(tp, genTp) pp z / genTp devices hold each
  // generation shard between them.
  int64_t z = train.zero >= 3 ? train.dp : 1;
  int64_t group = std::max(train.tp, genTp) * train.pp * z / genTp;
  if (group <= 1)
    return 0; // every generation shard is a slice of a training shard
  double shard = 2.0 * static_cast<double>(arch.parameterCount()) /
                 static_cast<double>(genTp);
  LinkSpec link = groupLink(cluster, group);
  // The volume once, then a latency per tensor and ring hop on top.
  LinkSpec bandwidthOnly{link.bandwidthGBps, 0};
  double n = static_cast<double>(group);
  return allGatherSeconds(shard, group, bandwidthOnly) +
         static_cast<double>(weightTensorCount(arch)) * (n - 1.0) *
             link.latencyUs * 1e-6;
}

} // namespace rlg::planner
