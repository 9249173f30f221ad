// Gathering the rows each data-parallel rank computed into the whole batch.
#include "rlg/Runtime/Distributed/RowGather.h"
#include "rlg/Runtime/Distributed/OpPlacement.h"

namespace rlg::runtime {

at::Tensor gatherRowSlices(const at::Tensor &local, int64_t total,
                           Communicator &group) {
  int64_t parts = group.size();
  if (parts == 1)
    return local;
  int64_t widest = sliceItems(total, parts, 0).size();
  at::Tensor padded = local;
  if (local.size(0) < widest) {
    std::vector<int64_t> shape = local.sizes().vec();
    shape[0] = widest - local.size(0);
    padded = at::cat({local, at::zeros(shape, local.options())}, 0);
  }
  at::Tensor all = group.allGather(padded);
  std::vector<at::Tensor> pieces;
  for (int64_t i = 0; i < parts; ++i)
    pieces.push_back(
        all.narrow(0, i * widest, sliceItems(total, parts, i).size()));
  return at::cat(pieces, 0);
}

at::Tensor padColumns(const at::Tensor &tensor, int64_t width, double value,
                      bool left) {
  int64_t have = tensor.size(1);
  if (have >= width)
    return tensor;
  std::vector<int64_t> shape = tensor.sizes().vec();
  shape[1] = width - have;
  at::Tensor fill = at::full(shape, value, tensor.options());
  return left ? at::cat({fill, tensor}, 1) : at::cat({tensor, fill}, 1);
}

int64_t maxOverGroup(int64_t value, Communicator &group) {
  if (group.size() == 1)
    return value;
  at::Tensor t = at::full({1}, value, at::kLong);
  group.allReduceMax(t);
  return t.item<int64_t>();
}

} // namespace rlg::runtime
