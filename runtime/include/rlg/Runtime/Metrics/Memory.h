// Peak memory, for perf/max_memory_allocated_gb.
#pragma once

#include <optional>

namespace rlg::runtime {

/// The process's peak resident set size in GiB (VmHWM in
/// /proc/self/status), or nullopt where that file is unreadable. On CPU
/// this is what perf/max_memory_allocated_gb reports: it covers all of the
/// process's memory, not only tensors.
std::optional<double> peakResidentMemoryGb();

} // namespace rlg::runtime
