// Argument checks shared by the RL math: each throws std::invalid_argument
// with a message naming the function, the argument and the shapes.
#pragma once

#include "rlg/Runtime/Support/TensorText.h"
#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime::detail {

/// "[2, 3]" for a defined tensor, "undefined" otherwise.
inline std::string shapeString(const at::Tensor &t) { return shapeOf(t); }

/// Throws std::invalid_argument("FN: MESSAGE").
[[noreturn]] void fail(const char *fn, const std::string &message);

/// `reward(responses[i], answers[i])` for each pair: [N], float32. Throws
/// (naming `fn`) when the two lists differ in length.
at::Tensor pairRewards(const char *fn,
                       const std::vector<std::string> &responses,
                       const std::vector<std::string> &answers,
                       double (*reward)(std::string_view, std::string_view));

/// The tensor is defined and has a floating-point dtype.
void checkFloating(const char *fn, const char *name, const at::Tensor &t);

/// The tensor is defined, floating-point and has `rank` dimensions; `layout`
/// names them in the message, e.g. "[N, T]".
void checkRank(const char *fn, const char *name, const at::Tensor &t,
               int64_t rank, const char *layout);

/// `b` has the shape and device of `a`.
void checkSameShape(const char *fn, const char *nameA, const at::Tensor &a,
                    const char *nameB, const at::Tensor &b);

/// The mask has `like`'s shape and device and is floating-point or bool;
/// returns it as a floating tensor of `like`'s dtype.
at::Tensor checkMask(const char *fn, const char *name, const at::Tensor &mask,
                     const char *likeName, const at::Tensor &like);

/// The mask is [N, T] with N = rows (the length of `rowsName`), floating or
/// bool, on `device`; returns it as a floating tensor of dtype `dtype`.
at::Tensor checkRowMask(const char *fn, const char *name,
                        const at::Tensor &mask, const char *rowsName,
                        int64_t rows, at::ScalarType dtype, at::Device device);

/// `n` >= `minGroup` and divides `rows`.
void checkGroupSize(const char *fn, int64_t rows, int64_t n, int64_t minGroup);

/// lo <= value <= hi (and finite).
void checkInRange(const char *fn, const char *name, double value, double lo,
                  double hi);

/// value > bound (and finite).
void checkGreater(const char *fn, const char *name, double value, double bound);

/// value >= bound (and finite).
void checkAtLeast(const char *fn, const char *name, double value, double bound);

} // namespace rlg::runtime::detail
