// A `transfer` op: a value moves from the mesh that computed it to the
// ranks that read it, each destination receiving only its slice of rows.
#include "rlg/Runtime/Executor/Transfer.h"
#include "rlg/Runtime/Distributed/Messages.h"
#include "rlg/Runtime/Distributed/RowGather.h"
#include "rlg/Runtime/Executor/ValueCodec.h"

#include <algorithm>
#include <functional>

namespace rlg::runtime {

namespace {

/// The tag of a transfer's messages: the same on both sides.
int transferTag(const schedule::Op &op) {
  return static_cast<int>(std::hash<std::string>{}(op.id) & 0x7fff);
}

void sendValue(Communicator &world, int64_t peer, int tag,
               const EncodedValue &value) {
  sendRecord(world, peer, tag, value.record, value.tensors);
}

EncodedValue receiveValue(Communicator &world, int64_t peer, int tag,
                          const torch::Device &device) {
  EncodedValue out;
  std::tie(out.record, out.tensors) = receiveRecord(world, peer, tag, device);
  out.rows = out.record.value("rows", int64_t(0));
  return out;
}

} // namespace

void runTransfer(RunContext &run, const schedule::Step &step,
                 const schedule::Op &op, StepValues &values) {
  std::vector<int64_t> sources = transferSources(step, run.schedule, op);
  std::vector<int64_t> destinations =
      transferDestinations(step, run.schedule, op);
  int64_t rank = run.rank();
  auto indexIn = [](const std::vector<int64_t> &ranks, int64_t r) {
    auto it = std::find(ranks.begin(), ranks.end(), r);
    return it == ranks.end() ? int64_t(-1) : int64_t(it - ranks.begin());
  };
  int64_t destinationCount = static_cast<int64_t>(destinations.size());
  auto sourceOf = [&](int64_t j) {
    return sources[j % static_cast<int64_t>(sources.size())];
  };
  int tag = transferTag(op);
  Communicator &world = run.groups->world();

  EncodedValue whole;
  if (indexIn(sources, rank) >= 0) {
    auto it = values.find(op.inputs.at(0));
    if (it == values.end())
      throw RunError("transfer '" + op.id + "' reads '" + op.inputs.at(0) +
                     "', which this rank has not computed");
    whole = encodeValue(it->second);
    whole.record["rows"] = whole.rows;
    for (int64_t j = 0; j < destinationCount; ++j) {
      if (sourceOf(j) != rank || destinations[j] == rank)
        continue;
      ItemRange slice = whole.rows > 0
                            ? sliceItems(whole.rows, destinationCount, j)
                            : ItemRange{0, 0};
      sendValue(world, destinations[j], tag,
                whole.rows > 0 ? sliceRows(whole, slice.begin, slice.end)
                               : whole);
    }
  }
  int64_t j = indexIn(destinations, rank);
  if (j < 0)
    return;
  EncodedValue mine;
  if (sourceOf(j) == rank) {
    mine = whole.rows > 0
               ? sliceRows(whole,
                           sliceItems(whole.rows, destinationCount, j).begin,
                           sliceItems(whole.rows, destinationCount, j).end)
               : whole;
  } else {
    mine = receiveValue(world, sourceOf(j), tag, run.options.device);
  }
  if (mine.rows > 0 || mine.record.value("rows", int64_t(0)) > 0) {
    int64_t rows = mine.record.at("rows").get<int64_t>();
    Communicator &group = run.group(destinations);
    for (at::Tensor &t : mine.tensors)
      t = gatherRowSlices(t.contiguous(), rows, group);
    mine.rows = rows;
  }
  values[op.id] = decodeValue(run, mine);
}

} // namespace rlg::runtime
