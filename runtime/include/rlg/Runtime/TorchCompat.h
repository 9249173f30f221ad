// The one place where the LibTorch versions the runtime builds with differ.
//
// The runtime compiles with Debian's LibTorch 1.13 (CPU) and with PyTorch
// 2.x's LibTorch (CUDA). Code elsewhere includes this header instead of
// ATen's and keeps to APIs that are the same in both. Known differences, and
// how the runtime stays clear of them:
//  - Tensor::std/var: the `correction` argument is an int64_t in 1.13 and a
//    Scalar in 2.x; the runtime computes variances itself (Masked.cpp).
//  - c10::optional is its own type in 1.13 and std::optional in 2.x; the
//    runtime's own signatures use std::optional and never pass one to ATen.
//  - Tensor::data<T>() is gone in 2.x; use data_ptr<T>().
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>

/// True when the LibTorch being compiled against is at least MAJOR.MINOR.
#define RLG_TORCH_VERSION_AT_LEAST(MAJOR, MINOR)                               \
  (TORCH_VERSION_MAJOR > (MAJOR) ||                                            \
   (TORCH_VERSION_MAJOR == (MAJOR) && TORCH_VERSION_MINOR >= (MINOR)))
