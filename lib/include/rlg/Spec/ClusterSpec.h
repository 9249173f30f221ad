// A cluster file (TOML): nodes of identical devices and the links between
// them, read and checked with a located error for every bad field.
#pragma once

#include "rlg/Spec/DeviceProfiles.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rlg {

/// One link class: bandwidth per direction (GB/s) and latency per message
/// (microseconds).
struct LinkSpec {
  double bandwidthGBps = 0;
  double latencyUs = 0;
};

struct ClusterSpec {
  std::string name;
  int64_t nodes = 0;
  int64_t devicesPerNode = 0;
  /// The device profile, with the file's overrides applied.
  DeviceProfile device;
  LinkSpec intraNode; // device to device within a node
  LinkSpec interNode; // device to device across nodes
  LinkSpec host;      // device to host memory (offload)

  int64_t deviceCount() const { return nodes * devicesPerNode; }
};

/// A problem in a cluster file, at a 1-based line and column (0 when the
/// file as a whole is meant).
struct ClusterError {
  int64_t line = 0;
  int64_t column = 0;
  std::string message;
  std::string hint;
};

/// Parses and checks a cluster file's text; `name` labels it in messages.
/// Returns false with every problem found in `errors`.
bool readClusterSpec(const std::string &text, ClusterSpec &out,
                     std::vector<ClusterError> &errors);
/// Reads the file at `path` (an unreadable file is an error at 0:0).
bool readClusterFile(const std::string &path, ClusterSpec &out,
                     std::vector<ClusterError> &errors);

/// "2 nodes x 8 H100-80GB (16 devices, 79.6 GiB each)".
std::string describeCluster(const ClusterSpec &cluster);

} // namespace rlg
