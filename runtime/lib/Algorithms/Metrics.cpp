// Named scalar metrics: reading a one-element tensor back to the host.
#include "rlg/Runtime/Algorithms/Metrics.h"

#include "Checks.h"

namespace rlg::runtime {
using namespace detail;

double scalarValue(const at::Tensor &t) {
  if (!t.defined() || t.numel() != 1)
    fail("scalarValue",
         "expected a one-element tensor, got shape " + shapeString(t));
  return t.detach().to(at::kCPU).to(at::kDouble).item<double>();
}

} // namespace rlg::runtime
