// A tensor's shape as text for error messages.
#include "rlg/Runtime/Support/TensorText.h"

namespace rlg::runtime {

std::string shapeOf(const at::Tensor &tensor) {
  if (!tensor.defined())
    return "undefined";
  std::string text = "[";
  for (int64_t i = 0; i < tensor.dim(); ++i)
    text += (i ? ", " : "") + std::to_string(tensor.size(i));
  return text + "]";
}

} // namespace rlg::runtime
