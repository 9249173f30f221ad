// Whether a per-device memory ledger fits a device, and if not, why: the
// reason a pruned plan keeps.
#pragma once

#include "rlg/Planner/ModelCosts.h"
#include "rlg/Spec/DeviceProfiles.h"

#include <optional>
#include <string>

namespace rlg::planner {

/// Bytes of device memory a plan may use: the profile's memory less what
/// the CUDA context, NCCL and allocator fragmentation take (a fixed 2 GiB,
/// which covers the context and NCCL buffers, and 5 % of the rest).
double usableBytes(const DeviceProfile &device);

/// nullopt when `ledger` fits `device`; else "needs 93.1 GiB of 73.6 GiB
/// usable: optimizer 50.2, weights 25.1, ..." with its largest entries first.
std::optional<std::string> memoryShortfall(const MemoryLedger &ledger,
                                           const DeviceProfile &device);

} // namespace rlg::planner
