// Token rewards: a sequence score on the last real token plus per-token terms.
#include "rlg/Runtime/Algorithms/Advantages.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

namespace {
at::Tensor place(const char *fn, const at::Tensor &seqScores,
                 const at::Tensor &mask) {
  checkRank(fn, "seqScores", seqScores, 1, "[N]");
  at::Tensor m = checkRowMask(fn, "mask", mask, "seqScores", seqScores.size(0),
                              seqScores.scalar_type(), seqScores.device());
  int64_t t = m.size(1);
  if (t < 1)
    fail(fn, "mask has no token positions (shape " + shapeString(m) + ")");
  // Position p+1 where the token is real, 0 at padding; the row maximum
  // minus 1 is the last real position (-1 for a row without real tokens).
  at::Tensor positions = at::arange(
      1, t + 1, at::TensorOptions().dtype(at::kLong).device(m.device()));
  at::Tensor last = ((m > 0).to(at::kLong) * positions).amax(1) - 1;
  at::Tensor isLast = (positions.unsqueeze(0) - 1) == last.unsqueeze(1);
  return isLast.to(seqScores.scalar_type()) * seqScores.unsqueeze(1);
}
} // namespace

at::Tensor placeOnLastToken(const at::Tensor &seqScores,
                            const at::Tensor &mask) {
  return place("placeOnLastToken", seqScores, mask);
}

at::Tensor combineTokenRewards(const at::Tensor &seqScores,
                               const at::Tensor &tokenTerms,
                               const at::Tensor &mask) {
  const char *fn = "combineTokenRewards";
  at::Tensor placed = place(fn, seqScores, mask);
  if (!tokenTerms.defined())
    return placed;
  checkRank(fn, "tokenTerms", tokenTerms, 2, "[N, T]");
  at::Tensor m = checkMask(fn, "mask", mask, "tokenTerms", tokenTerms);
  return placed + tokenTerms * m;
}

} // namespace rlg::runtime
