// The accelerators (and the CPU) a cluster file may name: memory, peak
// compute, memory bandwidth and links, from the vendors' datasheets.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rlg {

/// What the cost model needs to know about one device. Bandwidths are per
/// direction, in GB/s (10^9 bytes); memory in GiB (2^30 bytes) as
/// nvidia-smi reports it.
struct DeviceProfile {
  std::string name;
  double memoryGiB = 0;
  /// Dense bf16 tensor-core peak (no sparsity), TFLOP/s.
  double peakTflops = 0;
  /// Device memory (HBM) bandwidth, GB/s.
  double memoryGBps = 0;
  /// Defaults for the cluster's links when its file does not give them:
  /// device to device in a node (NVLink), across nodes (the NIC share of one
  /// device), and device to host (PCIe, for offload).
  double intraNodeGBps = 0;
  double interNodeGBps = 0;
  double hostGBps = 0;
};

/// The profile of `name` (case-insensitive: "H100-80GB", "h100-80gb"), or
/// nullopt.
std::optional<DeviceProfile> findDeviceProfile(const std::string &name);
/// Every profile name, in a stable order.
std::vector<std::string> deviceProfileNames();

} // namespace rlg
