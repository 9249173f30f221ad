// What the runtime was built with and which devices it can use.
#pragma once

#include <string>

namespace rlg::runtime {

struct RuntimeInfo {
  std::string torchVersion; // e.g. "1.13.1"
  bool cudaAvailable = false;
  int cudaDevices = 0;
};

RuntimeInfo queryRuntimeInfo();

/// Runs a small tensor computation (a 2x3 by 3x2 matmul) and returns the
/// sum of the result: a check that LibTorch links and computes.
double runtimeSelfTest();

} // namespace rlg::runtime
