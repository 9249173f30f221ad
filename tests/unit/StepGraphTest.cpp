// Tests the step-graph algorithms: cycle groups and topological orders.
#include "../../dsl/lib/StepGraphAlgorithms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

using namespace rlg::dsl;

namespace {

using Cycles = std::vector<std::vector<size_t>>;

/// Checks that `order` lists every non-excluded node once and respects every
/// edge between non-excluded nodes (self-loops aside).
void expectValidOrder(size_t numNodes, const EdgeList &edges,
                      const std::vector<bool> &excluded,
                      const std::vector<size_t> &order) {
  std::vector<size_t> position(numNodes, SIZE_MAX);
  for (size_t i = 0; i < order.size(); ++i) {
    ASSERT_LT(order[i], numNodes);
    EXPECT_FALSE(excluded[order[i]])
        << "excluded node " << order[i] << " is in the order";
    EXPECT_EQ(position[order[i]], SIZE_MAX)
        << "node " << order[i] << " appears twice";
    position[order[i]] = i;
  }
  for (size_t node = 0; node < numNodes; ++node) {
    if (!excluded[node]) {
      EXPECT_NE(position[node], SIZE_MAX) << "node " << node << " is missing";
    }
  }
  for (auto [from, to] : edges) {
    if (excluded[from] || excluded[to] || from == to)
      continue;
    EXPECT_LT(position[from], position[to]) << "edge " << from << " -> " << to;
  }
}

TEST(FindCyclesTest, NoCyclesInADag) {
  EdgeList edges = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}};
  EXPECT_TRUE(findCycles(5, edges).empty());
  EXPECT_TRUE(findCycles(0, {}).empty());
  EXPECT_TRUE(findCycles(3, {}).empty());
}

TEST(FindCyclesTest, SelfLoopIsACycleOfOne) {
  EdgeList edges = {{0, 1}, {1, 1}, {1, 2}};
  EXPECT_EQ(findCycles(3, edges), (Cycles{{1}}));
}

TEST(FindCyclesTest, TwoNodeCycle) {
  EdgeList edges = {{0, 1}, {1, 2}, {2, 1}, {2, 3}};
  EXPECT_EQ(findCycles(4, edges), (Cycles{{1, 2}}));
}

TEST(FindCyclesTest, TwoSeparateCyclesAreSortedGroups) {
  // 4 -> 0 -> 5 -> 4 and 2 <-> 3, with node 1 in neither.
  EdgeList edges = {{4, 0}, {0, 5}, {5, 4}, {3, 2}, {2, 3}, {1, 2}};
  EXPECT_EQ(findCycles(6, edges), (Cycles{{0, 4, 5}, {2, 3}}));
}

TEST(FindCyclesTest, SelfLoopInsideALargerCycleIsOneGroup) {
  EdgeList edges = {{0, 1}, {1, 0}, {1, 1}, {2, 2}};
  EXPECT_EQ(findCycles(3, edges), (Cycles{{0, 1}, {2}}));
}

TEST(TopologicalOrderTest, RespectsEveryEdge) {
  EdgeList edges = {{3, 1}, {1, 0}, {3, 0}, {4, 2}, {2, 0}, {5, 4}};
  std::vector<bool> excluded(6, false);
  std::vector<size_t> order = topologicalOrder(6, edges, excluded);
  EXPECT_EQ(order.size(), 6u);
  expectValidOrder(6, edges, excluded, order);
  EXPECT_EQ(order.back(), 0u);
}

TEST(TopologicalOrderTest, ChainGivesTheOnlyOrder) {
  EdgeList edges = {{2, 0}, {0, 3}, {3, 1}};
  std::vector<size_t> order =
      topologicalOrder(4, edges, std::vector<bool>(4, false));
  EXPECT_EQ(order, (std::vector<size_t>{2, 0, 3, 1}));
}

TEST(TopologicalOrderTest, IsDeterministic) {
  EdgeList edges = {{0, 2}, {1, 2}, {2, 3}, {1, 4}};
  std::vector<bool> excluded(5, false);
  std::vector<size_t> first = topologicalOrder(5, edges, excluded);
  EdgeList shuffled = {{1, 4}, {2, 3}, {0, 2}, {1, 2}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(topologicalOrder(5, edges, excluded), first);
    EXPECT_EQ(topologicalOrder(5, shuffled, excluded), first);
  }
  expectValidOrder(5, edges, excluded, first);
}

TEST(TopologicalOrderTest, SkipsExcludedNodesAndTheirEdges) {
  // 1 and 2 form a cycle; excluding them leaves a DAG.
  EdgeList edges = {{0, 1}, {1, 2}, {2, 1}, {2, 3}, {0, 3}, {3, 4}};
  std::vector<bool> excluded = {false, true, true, false, false};
  std::vector<size_t> order = topologicalOrder(5, edges, excluded);
  EXPECT_EQ(order, (std::vector<size_t>{0, 3, 4}));
  expectValidOrder(5, edges, excluded, order);
}

TEST(TopologicalOrderTest, IgnoresSelfLoops) {
  EdgeList edges = {{0, 0}, {0, 1}};
  std::vector<size_t> order =
      topologicalOrder(2, edges, std::vector<bool>(2, false));
  EXPECT_EQ(order, (std::vector<size_t>{0, 1}));
}

TEST(TopologicalOrderTest, IsolatedNodesAreIncluded) {
  std::vector<size_t> order =
      topologicalOrder(3, {}, std::vector<bool>(3, false));
  std::vector<size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(topologicalOrder(0, {}, {}).empty());
}

TEST(StepGraphAlgorithmsTest, CyclesFoundThenExcludedGiveAValidOrder) {
  EdgeList edges = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {4, 4}, {3, 5}, {6, 3}};
  Cycles cycles = findCycles(7, edges);
  EXPECT_EQ(cycles, (Cycles{{0, 1, 2}, {4}}));
  std::vector<bool> excluded(7, false);
  for (const auto &cycle : cycles)
    for (size_t node : cycle)
      excluded[node] = true;
  std::vector<size_t> order = topologicalOrder(7, edges, excluded);
  EXPECT_EQ(order.size(), 3u);
  expectValidOrder(7, edges, excluded, order);
}

} // namespace
