// Training-to-generation resharding time: all-gather volume within
// micro-DP groups plus a latency per tensor and hop.
#include "rlg/Planner/Reshard.h"

#include "rlg/Planner/Collectives.h"

namespace rlg::planner {

int64_t weightTensorCount(const ModelArch &arch) {
  return 9 * arch.layers + 2 + (arch.tieEmbeddings ? 0 : 1);
}

double reshardSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      int64_t trainTp, int64_t trainPp, int64_t genTp) {
  int64_t trainShards = trainTp * trainPp;
  if (genTp % trainShards == 0)
    return 0; // every generation shard is a slice of one training shard
  int64_t group = trainShards / genTp;
  if (group <= 1)
    return 0;
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
