// Where an op of a schedule runs on this rank: its mesh, its data- and
// tensor-parallel coordinates, and the groups it talks in.
#include "rlg/Runtime/Distributed/OpPlacement.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <algorithm>
#include <set>

namespace rlg::runtime {

namespace {

const std::vector<int64_t> &meshRanksOf(const schedule::Schedule &schedule,
                                        const std::string &mesh,
                                        const std::string &where) {
  auto it = schedule.cluster.meshes.find(mesh);
  if (it == schedule.cluster.meshes.end())
    throw RunError(where + ": unknown mesh '" + mesh + "'",
                   "the schedule's cluster.meshes must declare every mesh; "
                   "compile it again");
  return it->second;
}

} // namespace

ItemRange sliceItems(int64_t count, int64_t parts, int64_t index) {
  int64_t base = count / parts, extra = count % parts;
  ItemRange range;
  range.begin = index * base + std::min(index, extra);
  range.end = range.begin + base + (index < extra ? 1 : 0);
  return range;
}

OpPlacement placeLayout(const schedule::Schedule &schedule,
                        const std::string &mesh, int64_t dp, int64_t tp,
                        int64_t rank, const std::string &where) {
  OpPlacement out;
  out.meshRanks = meshRanksOf(schedule, mesh, where);
  int64_t size = static_cast<int64_t>(out.meshRanks.size());
  if (dp < 1 || tp < 1 || dp * tp != size)
    throw RunError(where + ": layout dp " + std::to_string(dp) + " x tp " +
                       std::to_string(tp) + " does not cover mesh '" + mesh +
                       "' of " + std::to_string(size) + " devices",
                   "compile the program again; a schedule's layouts use "
                   "every device of their mesh once");
  out.dp = dp;
  out.tp = tp;
  auto it = std::find(out.meshRanks.begin(), out.meshRanks.end(), rank);
  if (it == out.meshRanks.end())
    return out;
  out.meshIndex = it - out.meshRanks.begin();
  out.tpRank = out.meshIndex % tp;
  out.dpRank = out.meshIndex / tp;
  for (int64_t i = 0; i < tp; ++i)
    out.tpGroup.push_back(out.meshRanks[out.dpRank * tp + i]);
  for (int64_t d = 0; d < dp; ++d)
    out.dpGroup.push_back(out.meshRanks[d * tp + out.tpRank]);
  return out;
}

OpPlacement placeOp(const schedule::Schedule &schedule, const schedule::Op &op,
                    int64_t rank) {
  std::string where =
      "op '" + op.id + "'" + (op.loc.empty() ? "" : " (" + op.loc + ")");
  if (op.layout.pp > 1)
    throw RunError(where + " is planned with " + std::to_string(op.layout.pp) +
                       " pipeline stages, which the runtime does not run",
                   "plan without pipeline stages (the default of rlg plan, "
                   "rlg launch and rlg compile)");
  return placeLayout(schedule, op.mesh, op.layout.dp, op.layout.tp, rank,
                     where);
}

std::vector<int64_t> transferSources(const schedule::Step &step,
                                     const schedule::Schedule &schedule,
                                     const schedule::Op &op) {
  if (op.inputs.empty())
    throw RunError("transfer '" + op.id + "' has no input");
  const schedule::Op *producer = step.findOp(op.inputs[0]);
  if (!producer)
    throw RunError("transfer '" + op.id + "' reads unknown op '" +
                   op.inputs[0] + "'");
  return meshRanksOf(schedule, producer->mesh, "op '" + producer->id + "'");
}

std::vector<int64_t> transferDestinations(const schedule::Step &step,
                                          const schedule::Schedule &schedule,
                                          const schedule::Op &op) {
  std::set<int64_t> ranks;
  for (const schedule::Op &reader : step.ops)
    if (std::find(reader.inputs.begin(), reader.inputs.end(), op.id) !=
        reader.inputs.end())
      for (int64_t r : meshRanksOf(schedule, reader.mesh, "op " + reader.id))
        ranks.insert(r);
  return {ranks.begin(), ranks.end()};
}

std::vector<std::vector<int64_t>>
processGroupsOf(const schedule::Schedule &schedule) {
  std::set<std::vector<int64_t>> groups;
  auto add = [&](std::vector<int64_t> ranks) {
    std::sort(ranks.begin(), ranks.end());
    if (ranks.size() > 1)
      groups.insert(ranks);
  };
  for (const auto &mesh : schedule.cluster.meshes)
    add(mesh.second);
  for (const schedule::Step &step : schedule.steps)
    for (const schedule::Op &op : step.ops) {
      if (op.kind == schedule::OpKind::Transfer) {
        add(transferDestinations(step, schedule, op));
        continue;
      }
      std::vector<std::pair<int64_t, int64_t>> layouts = {
          {op.layout.dp, op.layout.tp}};
      if (op.kind == schedule::OpKind::Reshard)
        for (const char *side : {"from", "to"})
          if (const schedule::AttrValue *v = schedule::findAttr(op.attrs, side))
            if (const auto *dp = v->find("dp"))
              if (const auto *tp = v->find("tp"))
                layouts.push_back({static_cast<int64_t>(dp->asDouble()),
                                   static_cast<int64_t>(tp->asDouble())});
      for (auto [dp, tp] : layouts) {
        auto mesh = schedule.cluster.meshes.find(op.mesh);
        if (mesh == schedule.cluster.meshes.end() ||
            dp * tp != static_cast<int64_t>(mesh->second.size()))
          continue; // placeOp reports it when the op runs
        for (int64_t rank : mesh->second) {
          OpPlacement place =
              placeLayout(schedule, op.mesh, dp, tp, rank, op.id);
          add(place.dpGroup);
          add(place.tpGroup);
        }
      }
    }
  return {groups.begin(), groups.end()};
}

} // namespace rlg::runtime
