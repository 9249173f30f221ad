// A tensor's shape as text for error messages.
#pragma once

#include <ATen/ATen.h>

#include <string>

namespace rlg::runtime {

/// "[2, 3]", or "undefined" for an undefined tensor.
std::string shapeOf(const at::Tensor &tensor);

} // namespace rlg::runtime
