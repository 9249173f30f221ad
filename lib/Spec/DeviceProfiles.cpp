// Device profiles from the vendors' datasheets (dense bf16 peaks, HBM
// bandwidth, NVLink per direction); docs/cluster-format.md cites each one.
#include "rlg/Spec/DeviceProfiles.h"

#include <algorithm>
#include <cctype>

namespace rlg {

namespace {

const std::vector<DeviceProfile> &profiles() {
  // name, memory GiB (nvidia-smi's total), dense bf16 TFLOP/s, HBM GB/s,
  // NVLink GB/s per direction, network GB/s per device (DGX A100: one
  // 200 Gb/s NIC per GPU; DGX H100/H200/H20: 400 Gb/s), PCIe GB/s per
  // direction (A100 Gen4 x16, the others Gen5 x16).
  static const std::vector<DeviceProfile> all = {
      {"A100-80GB", 80.0, 312, 2039, 300, 25, 32},
      {"H100-80GB", 79.6, 989, 3350, 450, 50, 64},
      {"H200", 140.4, 989, 4800, 450, 50, 64},
      {"H20", 95.6, 148, 4000, 450, 50, 64},
      // A CPU socket as a device: the tests' and the CPU runtime's machine.
      {"CPU", 64, 1, 50, 20, 10, 20},
  };
  return all;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

} // namespace

std::optional<DeviceProfile> findDeviceProfile(const std::string &name) {
  for (const DeviceProfile &profile : profiles())
    if (lower(profile.name) == lower(name))
      return profile;
  return std::nullopt;
}

std::vector<std::string> deviceProfileNames() {
  std::vector<std::string> names;
  for (const DeviceProfile &profile : profiles())
    names.push_back(profile.name);
  return names;
}

} // namespace rlg
