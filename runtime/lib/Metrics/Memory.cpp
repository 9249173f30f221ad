// The process's peak resident memory from /proc/self/status.
#include "rlg/Runtime/Metrics/Memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace rlg::runtime {

std::optional<double> peakResidentMemoryGb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) != 0)
      continue;
    std::istringstream fields(line.substr(6));
    double kib = 0;
    std::string unit;
    if (!(fields >> kib >> unit) || unit != "kB")
      return std::nullopt;
    return kib / (1024.0 * 1024.0);
  }
  return std::nullopt;
}

} // namespace rlg::runtime
