// Graph algorithms on a step's nodes (cycles, topological order), on
// Boost.Graph.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace rlg::dsl {

using EdgeList = std::vector<std::pair<size_t, size_t>>;

/// Groups of nodes that depend on each other in a cycle (including a node
/// that uses itself), each sorted by node index.
std::vector<std::vector<size_t>> findCycles(size_t numNodes,
                                            const EdgeList &edges);

/// A topological order of the nodes, leaving out `excluded` ones and the
/// edges that touch them; deterministic for a given graph.
std::vector<size_t> topologicalOrder(size_t numNodes, const EdgeList &edges,
                                     const std::vector<bool> &excluded);

} // namespace rlg::dsl
