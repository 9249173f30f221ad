// Semantic checks of a step's order: no cycle through inputs and deps, and
// every rank runs each op of its meshes exactly once, after what it needs.
#include "ValidateParts.h"

#include <algorithm>
#include <map>
#include <set>

namespace rlg::schedule {
namespace {

/// The ops of a step by id (the first of repeated ids).
std::map<std::string, size_t> opIndex(const Step &step) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < step.ops.size(); ++i)
    index.emplace(step.ops[i].id, i);
  return index;
}

/// One edge: op `from` needs op `to` through `field`[`position`].
struct Need {
  size_t to;
  const char *field;
  size_t position;
};

std::vector<std::vector<Need>>
needsOf(const Step &step, const std::map<std::string, size_t> &index) {
  std::vector<std::vector<Need>> needs(step.ops.size());
  for (size_t i = 0; i < step.ops.size(); ++i) {
    auto add = [&](const char *field, const std::vector<std::string> &refs) {
      for (size_t j = 0; j < refs.size(); ++j) {
        auto it = index.find(refs[j]);
        if (it != index.end() && it->second != i)
          needs[i].push_back({it->second, field, j});
      }
    };
    add("inputs", step.ops[i].inputs);
    add("deps", step.ops[i].deps);
  }
  return needs;
}

/// Reports the first cycle; returns true when there is one.
bool reportCycle(Checker &checker, const Step &step, const std::string &path,
                 const std::vector<std::vector<Need>> &needs) {
  enum { kNew, kOnStack, kDone };
  std::vector<int> state(step.ops.size(), kNew);
  for (size_t root = 0; root < step.ops.size(); ++root) {
    if (state[root] != kNew)
      continue;
    std::vector<std::pair<size_t, size_t>> stack{{root, 0}}; // op, next need
    state[root] = kOnStack;
    while (!stack.empty()) {
      auto &[op, next] = stack.back();
      if (next == needs[op].size()) {
        state[op] = kDone;
        stack.pop_back();
        continue;
      }
      const Need &need = needs[op][next++];
      if (state[need.to] == kNew) {
        state[need.to] = kOnStack;
        stack.push_back({need.to, 0});
        continue;
      }
      if (state[need.to] != kOnStack)
        continue;
      std::string cycle;
      bool inCycle = false;
      for (const auto &frame : stack) {
        inCycle |= frame.first == need.to;
        if (inCycle)
          cycle += quoted(step.ops[frame.first].id) + " -> ";
      }
      cycle += quoted(step.ops[need.to].id);
      checker.error(indexPath(indexPath(path + ".ops", op) + "." + need.field,
                              need.position),
                    "cycle in step " + quoted(step.name) + ": " + cycle,
                    "each op needs the next one (through inputs or deps); "
                    "remove one of these edges");
      return true;
    }
  }
  return false;
}

bool inMesh(const std::vector<int64_t> *mesh, int64_t rank) {
  return mesh && std::find(mesh->begin(), mesh->end(), rank) != mesh->end();
}

void checkRankList(Checker &checker, const Step &step, int64_t rank,
                   const std::vector<std::string> &ids,
                   const std::string &rankPath,
                   const std::map<std::string, size_t> &index,
                   const std::vector<std::vector<Need>> &needs,
                   bool checkOrder) {
  std::map<size_t, size_t> position; // Op index -> position in `ids`.
  for (size_t j = 0; j < ids.size(); ++j) {
    std::string at = indexPath(rankPath, j);
    auto it = index.find(ids[j]);
    if (it == index.end()) {
      checker.error(at, "unknown op " + quoted(ids[j]) + " in step " +
                            quoted(step.name));
      continue;
    }
    const Op &op = step.ops[it->second];
    if (!inMesh(checker.findMesh(op.mesh), rank)) {
      checker.error(at, "op " + quoted(op.id) + " runs on mesh " +
                            quoted(op.mesh) + ", which does not include rank " +
                            std::to_string(rank));
      continue;
    }
    auto [seen, inserted] = position.emplace(it->second, j);
    if (!inserted)
      checker.error(at, "op " + quoted(op.id) + " appears twice (also at " +
                            indexPath(rankPath, seen->second) + ")");
  }
  if (!checkOrder)
    return;
  for (const auto &[op, at] : position)
    for (const Need &need : needs[op]) {
      auto before = position.find(need.to);
      if (before != position.end() && before->second > at)
        checker.error(indexPath(rankPath, at),
                      "op " + quoted(step.ops[op].id) + " runs before " +
                          quoted(step.ops[need.to].id) + " (at " +
                          indexPath(rankPath, before->second) +
                          "), which it needs through its " + need.field,
                      "order each rank's instructions so that an op comes "
                      "after its inputs and deps");
    }
}

} // namespace

void validateInstructions(Checker &checker, const Step &step,
                          const std::string &path) {
  std::map<std::string, size_t> index = opIndex(step);
  std::vector<std::vector<Need>> needs = needsOf(step, index);
  bool cycle = reportCycle(checker, step, path, needs);
  std::string listPath = path + ".instructions";
  int64_t devices = checker.schedule.cluster.deviceCount;
  for (const auto &[rank, ids] : step.instructions) {
    std::string rankPath = fieldPath(listPath, std::to_string(rank));
    if (rank >= devices) {
      checker.error(rankPath, "device rank " + std::to_string(rank) +
                                  " is out of range: the cluster has " +
                                  countOf(devices, "device"));
      continue;
    }
    checkRankList(checker, step, rank, ids, rankPath, index, needs, !cycle);
  }
  // Every op appears in the list of each rank of its mesh.
  std::set<int64_t> ranksWithout;
  for (size_t i = 0; i < step.ops.size(); ++i) {
    const Op &op = step.ops[i];
    const std::vector<int64_t> *mesh = checker.findMesh(op.mesh);
    if (!mesh || index[op.id] != i)
      continue;
    for (int64_t rank : *mesh) {
      auto list = step.instructions.find(rank);
      if (list == step.instructions.end()) {
        if (ranksWithout.insert(rank).second)
          checker.error(listPath, "rank " + std::to_string(rank) +
                                      " has no instructions, but op " +
                                      quoted(op.id) + " runs on it (mesh " +
                                      quoted(op.mesh) + ")");
        continue;
      }
      if (std::find(list->second.begin(), list->second.end(), op.id) ==
          list->second.end())
        checker.error(fieldPath(listPath, std::to_string(rank)),
                      "op " + quoted(op.id) + " (" +
                          indexPath(path + ".ops", i) + ") runs on mesh " +
                          quoted(op.mesh) +
                          " but is missing from the instructions of rank " +
                          std::to_string(rank));
    }
  }
}

} // namespace rlg::schedule
