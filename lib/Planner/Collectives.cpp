// Ring collectives and point-to-point transfers (Patarasuk and Yuan 2009;
// NCCL's ring algorithm): bandwidth term plus a latency per message.
#include "rlg/Planner/Collectives.h"

namespace rlg::planner {

namespace {

double seconds(double bytes, double messages, const LinkSpec &link) {
  return bytes / (link.bandwidthGBps * 1e9) + messages * link.latencyUs * 1e-6;
}

} // namespace

LinkSpec groupLink(const ClusterSpec &cluster, int64_t ranks) {
  return ranks <= cluster.devicesPerNode ? cluster.intraNode
                                         : cluster.interNode;
}

double allReduceSeconds(double bytes, int64_t ranks, const LinkSpec &link) {
  if (ranks <= 1)
    return 0;
  double n = static_cast<double>(ranks);
  return seconds(2.0 * (n - 1.0) / n * bytes, 2.0 * (n - 1.0), link);
}

double allGatherSeconds(double bytes, int64_t ranks, const LinkSpec &link) {
  if (ranks <= 1)
    return 0;
  double n = static_cast<double>(ranks);
  return seconds((n - 1.0) / n * bytes, n - 1.0, link);
}

double transferSeconds(double bytes, const LinkSpec &link) {
  return seconds(bytes, 1.0, link);
}

} // namespace rlg::planner
