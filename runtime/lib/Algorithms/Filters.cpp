// DAPO's dynamic sampling filter and its overlong soft penalty.
#include "rlg/Runtime/Algorithms/Filters.h"

#include "Checks.h"

#include <string>

namespace rlg::runtime {
using namespace detail;

GroupFilterResult filterZeroVarianceGroups(const at::Tensor &seqRewards,
                                           int64_t groupSize) {
  const char *fn = "filterZeroVarianceGroups";
  checkRank(fn, "seqRewards", seqRewards, 1, "[N]");
  checkGroupSize(fn, seqRewards.size(0), groupSize, 2);
  int64_t groups = seqRewards.size(0) / groupSize;
  at::Tensor r = seqRewards.reshape({groups, groupSize});
  at::Tensor varied = r.amax(1) != r.amin(1);
  GroupFilterResult result;
  result.keptGroups = varied.nonzero().reshape({-1});
  at::Tensor offsets = at::arange(
      groupSize, at::TensorOptions().dtype(at::kLong).device(r.device()));
  result.keptRows =
      (result.keptGroups.unsqueeze(1) * groupSize + offsets.unsqueeze(0))
          .reshape({-1});
  return result;
}

at::Tensor computeOverlongPenalty(const at::Tensor &lengths, int64_t maxLength,
                                  int64_t buffer) {
  const char *fn = "computeOverlongPenalty";
  if (!lengths.defined() || lengths.dim() != 1)
    fail(fn, "lengths must be 1-D [N], got shape " + shapeString(lengths));
  if (lengths.scalar_type() == at::kBool)
    fail(fn, "lengths must be numbers, got a bool tensor");
  if (buffer <= 0 || buffer >= maxLength)
    fail(fn, "needs 0 < buffer < maxLength, got buffer = " +
                 std::to_string(buffer) +
                 ", maxLength = " + std::to_string(maxLength));
  at::Tensor len =
      lengths.is_floating_point() ? lengths : lengths.to(at::kFloat);
  double expected = static_cast<double>(maxLength - buffer);
  // (expected - len) / buffer is >= 0 up to expected and -1 at maxLength;
  // clamping to [-1, 0] gives all three pieces.
  return ((expected - len) / static_cast<double>(buffer)).clamp(-1.0, 0.0);
}

} // namespace rlg::runtime
