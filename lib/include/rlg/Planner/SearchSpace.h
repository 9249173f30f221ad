// The decisions a plan makes, enumerated: set partitions of the models,
// node-aligned device counts per group, and each model's layouts on a
// group of a given size (respecting the schedule's pins).
#pragma once

#include "rlg/Planner/Plan.h"
#include "rlg/Planner/Workload.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::planner {

/// Every set partition of `models` (restricted growth strings, a fixed
/// order) that keeps each colocate group in one block.
std::vector<std::vector<std::vector<int>>>
modelPartitions(const Workload &workload);

/// The device counts a group may get: powers of two up to a node, then
/// whole nodes (every count up to 16 nodes, beyond that 2^k and 3 x 2^k
/// nodes), at most the cluster.
std::vector<int64_t> groupSizes(const ClusterSpec &cluster);

/// Lays groups of `sizes` devices out on the cluster, largest first so
/// each stays node-aligned; false when they do not fit.
bool placeGroups(const ClusterSpec &cluster,
                 const std::vector<std::vector<int>> &blocks,
                 const std::vector<int64_t> &sizes,
                 std::vector<DeviceGroup> &groups);

/// Every layout of `model` on `devices` devices that divides its calls'
/// batches, keeps its pins and has at most `problem.maxPipelineStages`
/// pipeline stages, in a fixed order; empty with `why` set when there is
/// none.
std::vector<ModelLayout> layoutCandidates(const PlanProblem &problem, int model,
                                          int64_t devices,
                                          std::string *why = nullptr);

} // namespace rlg::planner
