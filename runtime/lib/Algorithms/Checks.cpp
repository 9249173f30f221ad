// Argument checks shared by the RL math.
#include "Checks.h"

#include <cmath>
#include <stdexcept>

namespace rlg::runtime::detail {

void fail(const char *fn, const std::string &message) {
  throw std::invalid_argument(std::string(fn) + ": " + message);
}

void checkFloating(const char *fn, const char *name, const at::Tensor &t) {
  if (!t.defined())
    fail(fn, std::string(name) + " is undefined");
  if (!t.is_floating_point())
    fail(fn, std::string(name) + " must be a floating-point tensor, got " +
                 compat::dtypeName(t.scalar_type()) + " of shape " +
                 shapeString(t));
}

void checkRank(const char *fn, const char *name, const at::Tensor &t,
               int64_t rank, const char *layout) {
  checkFloating(fn, name, t);
  if (t.dim() != rank)
    fail(fn, std::string(name) + " must be " + std::to_string(rank) + "-D " +
                 layout + ", got shape " + shapeString(t));
}

void checkSameShape(const char *fn, const char *nameA, const at::Tensor &a,
                    const char *nameB, const at::Tensor &b) {
  if (!b.defined())
    fail(fn, std::string(nameB) + " is undefined");
  if (!a.sizes().equals(b.sizes()))
    fail(fn, std::string(nameB) + " has shape " + shapeString(b) + " but " +
                 nameA + " has shape " + shapeString(a) + "; they must match");
  if (a.device() != b.device())
    fail(fn, std::string(nameB) + " is on " + b.device().str() + " but " +
                 nameA + " is on " + a.device().str());
}

at::Tensor checkMask(const char *fn, const char *name, const at::Tensor &mask,
                     const char *likeName, const at::Tensor &like) {
  if (!mask.defined())
    fail(fn, std::string(name) + " is undefined");
  if (!mask.is_floating_point() && mask.scalar_type() != at::kBool)
    fail(fn, std::string(name) + " must be a float or bool tensor, got " +
                 compat::dtypeName(mask.scalar_type()) + " of shape " +
                 shapeString(mask));
  checkSameShape(fn, likeName, like, name, mask);
  return mask.to(like.scalar_type());
}

at::Tensor checkRowMask(const char *fn, const char *name,
                        const at::Tensor &mask, const char *rowsName,
                        int64_t rows, at::ScalarType dtype, at::Device device) {
  if (!mask.defined())
    fail(fn, std::string(name) + " is undefined");
  if (mask.dim() != 2 || mask.size(0) != rows)
    fail(fn, std::string(name) + " must be [N, T] with N = " +
                 std::to_string(rows) + " (the length of " + rowsName +
                 "), got shape " + shapeString(mask));
  if (!mask.is_floating_point() && mask.scalar_type() != at::kBool)
    fail(fn, std::string(name) + " must be a float or bool tensor, got " +
                 compat::dtypeName(mask.scalar_type()) + " of shape " +
                 shapeString(mask));
  if (mask.device() != device)
    fail(fn, std::string(name) + " is on " + mask.device().str() + " but " +
                 rowsName + " is on " + device.str());
  return mask.to(dtype);
}

void checkGroupSize(const char *fn, int64_t rows, int64_t n, int64_t minGroup) {
  if (n < minGroup)
    fail(fn, "group size n = " + std::to_string(n) + " must be at least " +
                 std::to_string(minGroup));
  if (rows % n != 0)
    fail(fn,
         "group size n = " + std::to_string(n) +
             " does not divide the number of rows N = " + std::to_string(rows));
}

namespace {
std::string number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
} // namespace

void checkInRange(const char *fn, const char *name, double value, double lo,
                  double hi) {
  if (!(value >= lo && value <= hi))
    fail(fn, std::string(name) + " = " + number(value) + " must be in [" +
                 number(lo) + ", " + number(hi) + "]");
}

void checkGreater(const char *fn, const char *name, double value,
                  double bound) {
  if (!(value > bound) || !std::isfinite(value))
    fail(fn, std::string(name) + " = " + number(value) +
                 " must be a finite number greater than " + number(bound));
}

void checkAtLeast(const char *fn, const char *name, double value,
                  double bound) {
  if (!(value >= bound) || !std::isfinite(value))
    fail(fn, std::string(name) + " = " + number(value) +
                 " must be a finite number at least " + number(bound));
}

} // namespace rlg::runtime::detail
