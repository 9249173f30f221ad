// Times of the collectives and transfers a plan makes, on a cluster's links:
// the ring algorithms NCCL uses for large messages, with a per-message
// latency. docs/cost-model.md, "Communication".
#pragma once

#include "rlg/Spec/ClusterSpec.h"

#include <cstdint>

namespace rlg::planner {

/// The link a group of `ranks` consecutive devices communicates over: NVLink
/// when they fit in one node, else the network (the slowest hop of a ring).
LinkSpec groupLink(const ClusterSpec &cluster, int64_t ranks);

/// Ring all-reduce of `bytes` (each rank's full buffer) over `ranks` ranks:
/// 2 (n - 1) / n of the buffer crosses each link, in 2 (n - 1) messages.
double allReduceSeconds(double bytes, int64_t ranks, const LinkSpec &link);
/// Ring all-gather (or reduce-scatter) whose full result is `bytes`:
/// (n - 1) / n of it crosses each link, in n - 1 messages.
double allGatherSeconds(double bytes, int64_t ranks, const LinkSpec &link);
/// One message of `bytes` from one device to another.
double transferSeconds(double bytes, const LinkSpec &link);

} // namespace rlg::planner
