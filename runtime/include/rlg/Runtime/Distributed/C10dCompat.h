// The c10d differences between LibTorch 1.13 (Debian, CPU) and 2.x (CUDA):
// the class a process group's collectives live on, and NCCL's availability.
//
//  - 1.13: ProcessGroupGloo derives from c10d::ProcessGroup, which carries
//    the collectives. 2.x: it derives from c10d::Backend, and ProcessGroup
//    became a dispatcher over backends. Both expose allreduce, allgather,
//    broadcast, send, recv and barrier with the same signatures on the
//    class below, so the runtime holds that class.
//  - ProcessGroupGloo needs Gloo's headers, which a LibTorch may lack
//    (RLG_TORCH_HAS_GLOO below).
//  - ProcessGroupNCCL exists only in a CUDA LibTorch built with NCCL, and its
//    header compiles only with USE_C10D_NCCL, which runtime/CMakeLists.txt
//    defines for a CUDA LibTorch (RLG_TORCH_HAS_NCCL).
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
// Gloo's headers come with Debian's libgloo-dev; a LibTorch without them
// (or built without Gloo) runs CUDA ranks over NCCL only.
#if defined(USE_C10D_GLOO) && __has_include(<gloo/config.h>)
#define RLG_TORCH_HAS_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef RLG_TORCH_HAS_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace rlg::runtime::compat {

#if RLG_TORCH_VERSION_AT_LEAST(2, 0)
using CollectiveBackend = c10d::Backend;
#else
using CollectiveBackend = c10d::ProcessGroup;
#endif

} // namespace rlg::runtime::compat
