// Choosing a run's device and precision from --device and --precision.
#pragma once

#include "rlg/Runtime/Executor/RunContext.h"

#include <string>

namespace rlg::runtime {

/// The device of `--device NAME`: "auto" (cuda:0 when CUDA is available,
/// else the CPU), "cpu", "cuda" (cuda:0) or "cuda:N". Throws RunError, with
/// a hint, for another name, for CUDA where this LibTorch or machine has
/// none, and for a CUDA index past the last device.
torch::Device resolveRunDevice(const std::string &name);

/// The precision of `--precision NAME` on `device`: "auto" (bf16 on CUDA,
/// fp32 on the CPU), "fp32" or "bf16". Throws RunError, with a hint, for
/// another name and for bf16 on the CPU (CUDA autocast leaves CPU tensors
/// alone, so the run would not be what was asked for).
Precision resolveRunPrecision(const std::string &name,
                              const torch::Device &device);

/// Throws resolveRunPrecision's RunError when `options` pair bf16 with a
/// device that is not CUDA (for callers that fill RunOptions themselves).
void checkRunPrecision(const RunOptions &options);

} // namespace rlg::runtime
