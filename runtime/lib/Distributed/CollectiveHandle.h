// The c10d process group behind a Communicator and its timeout.
#pragma once

#include "rlg/Runtime/Distributed/C10dCompat.h"

#include <chrono>

namespace rlg::runtime {

struct CollectiveHandle {
  c10::intrusive_ptr<compat::CollectiveBackend> backend;
  std::chrono::milliseconds timeout{0};
  /// Where the backend's tensors must live: the CPU for Gloo, the rank's
  /// GPU for NCCL. Tensors elsewhere are copied there and back.
  c10::Device device{c10::kCPU};
};

} // namespace rlg::runtime
