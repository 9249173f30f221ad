// Verifiers of the rlg dialect's attributes.
#include "rlg/Dialect/RLG/IR/RLGAttrs.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace rlg::ir {

LogicalResult MeshAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> devices) {
  if (devices.empty())
    return emitError() << "a mesh needs at least one device";
  llvm::DenseSet<int64_t> seen;
  for (int64_t device : devices) {
    if (device < 0)
      return emitError() << "device rank must not be negative, got " << device;
    if (!seen.insert(device).second)
      return emitError() << "device " << device << " appears twice in the mesh";
  }
  return success();
}

LogicalResult LayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t dp, int64_t tp, int64_t pp,
                                 int64_t zero, int64_t microbatch, bool,
                                 bool) {
  if (dp < 1 || tp < 1 || pp < 1)
    return emitError() << "dp, tp and pp must be at least 1, got dp = " << dp
                       << ", tp = " << tp << ", pp = " << pp;
  if (zero < 0 || zero > 3)
    return emitError() << "the ZeRO stage must be between 0 and 3, got "
                       << zero;
  if (microbatch < 0)
    return emitError() << "micro-batch must not be negative, got "
                       << microbatch;
  return success();
}

LogicalResult
PlacementAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      MeshAttr mesh, LayoutAttr layout) {
  int64_t meshSize = static_cast<int64_t>(mesh.getDevices().size());
  if (layout.getDeviceCount() != meshSize)
    return emitError() << "the layout needs dp x tp x pp = "
                       << layout.getDeviceCount() << " devices but the mesh has "
                       << meshSize;
  return success();
}

} // namespace rlg::ir
