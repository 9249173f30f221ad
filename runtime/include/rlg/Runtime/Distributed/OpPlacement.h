// Where an op of a schedule runs on this rank: its mesh, its data- and
// tensor-parallel coordinates, and the groups it talks in.
#pragma once

#include "rlg/Schedule/Schedule.h"

#include <cstdint>
#include <vector>

namespace rlg::runtime {

/// An op's layout on its mesh, seen from one rank. Mesh position m (the
/// rank's index in the mesh's rank list) has tensor-parallel rank m % tp
/// and data-parallel rank m / tp: a tensor-parallel group is tp
/// consecutive mesh positions (one node's fast links), and a
/// data-parallel group is the positions with the same tensor-parallel rank.
struct OpPlacement {
  std::vector<int64_t> meshRanks; // world ranks, in the mesh's order
  int64_t meshIndex = -1;         // this rank's position, -1 outside
  int64_t dp = 1, tp = 1;
  int64_t dpRank = 0, tpRank = 0;
  std::vector<int64_t> dpGroup; // world ranks sharing this tensor slice
  std::vector<int64_t> tpGroup; // world ranks splitting one replica

  bool contains() const { return meshIndex >= 0; }
};

/// The placement of `op` for world rank `rank`. Throws RunError for a
/// layout the runtime cannot run (pipeline stages, a layout that does not
/// cover its mesh, an unknown mesh).
OpPlacement placeOp(const schedule::Schedule &schedule, const schedule::Op &op,
                    int64_t rank);

/// The same for a layout and mesh given directly (a reshard's `to`).
OpPlacement placeLayout(const schedule::Schedule &schedule,
                        const std::string &mesh, int64_t dp, int64_t tp,
                        int64_t rank, const std::string &where);

/// Every group of ranks any rank of the schedule talks in: each mesh, each
/// op's data- and tensor-parallel groups, and the ranks that receive each
/// transfer. The same list on every rank (ProcessGroups::createGroups).
std::vector<std::vector<int64_t>>
processGroupsOf(const schedule::Schedule &schedule);

/// The world ranks that read the value `op` (a transfer) produces: the
/// meshes of the ops of `step` that take it as an input.
std::vector<int64_t> transferDestinations(const schedule::Step &step,
                                          const schedule::Schedule &schedule,
                                          const schedule::Op &op);

/// The world ranks that hold the value a transfer reads: the mesh of the op
/// that produced its input.
std::vector<int64_t> transferSources(const schedule::Step &step,
                                     const schedule::Schedule &schedule,
                                     const schedule::Op &op);

/// A balanced contiguous slice [begin, end) of `count` items for part
/// `index` of `parts`: the first count % parts parts get one more.
struct ItemRange {
  int64_t begin = 0, end = 0;
  int64_t size() const { return end - begin; }
};
ItemRange sliceItems(int64_t count, int64_t parts, int64_t index);

} // namespace rlg::runtime
