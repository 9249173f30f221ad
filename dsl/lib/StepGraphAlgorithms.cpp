// Cycles and orders of step graphs with Boost.Graph.
#include "StepGraphAlgorithms.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>
#include <map>

namespace rlg::dsl {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

std::vector<std::vector<size_t>> findCycles(size_t numNodes,
                                            const EdgeList &edges) {
  Graph graph(numNodes);
  for (auto [from, to] : edges)
    boost::add_edge(from, to, graph);
  std::vector<int> component(numNodes);
  boost::strong_components(
      graph, boost::make_iterator_property_map(
                 component.begin(), boost::get(boost::vertex_index, graph)));
  std::map<int, std::vector<size_t>> members;
  for (size_t node = 0; node < numNodes; ++node)
    members[component[node]].push_back(node);
  std::vector<std::vector<size_t>> cycles;
  for (auto &[id, nodes] : members) {
    bool selfLoop =
        nodes.size() == 1 &&
        std::any_of(edges.begin(), edges.end(), [&](const auto &edge) {
          return edge.first == nodes[0] && edge.second == nodes[0];
        });
    if (nodes.size() > 1 || selfLoop)
      cycles.push_back(nodes);
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

std::vector<size_t> topologicalOrder(size_t numNodes, const EdgeList &edges,
                                     const std::vector<bool> &excluded) {
  Graph graph(numNodes);
  EdgeList kept;
  for (auto [from, to] : edges)
    if (!excluded[from] && !excluded[to] && from != to)
      kept.push_back({from, to});
  std::sort(kept.begin(), kept.end(), std::greater<>());
  for (auto [from, to] : kept)
    boost::add_edge(from, to, graph);
  std::vector<size_t> reversed;
  boost::topological_sort(graph, std::back_inserter(reversed));
  std::vector<size_t> order;
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
    if (!excluded[*it])
      order.push_back(*it);
  return order;
}

} // namespace rlg::dsl
