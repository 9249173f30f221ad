// Helpers for the runtime's tensor tests: small literals and comparisons.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace rlg::runtime::testing {

/// A 1-D float64 tensor.
inline at::Tensor vec(std::initializer_list<double> values) {
  return at::tensor(at::ArrayRef<double>(values.begin(), values.size()),
                    at::kDouble);
}

/// A 2-D float64 tensor, row by row.
inline at::Tensor
mat(std::initializer_list<std::initializer_list<double>> rows) {
  std::vector<double> flat;
  int64_t cols = rows.size() ? static_cast<int64_t>(rows.begin()->size()) : 0;
  for (const auto &row : rows) {
    EXPECT_EQ(static_cast<int64_t>(row.size()), cols) << "ragged mat()";
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return at::tensor(at::ArrayRef<double>(flat), at::kDouble)
      .reshape({static_cast<int64_t>(rows.size()), cols});
}

/// The shape as a vector, for EXPECT_EQ.
inline std::vector<int64_t> shape(const at::Tensor &t) {
  return t.sizes().vec();
}

/// Every element of `actual` within `tol` of `expected` (same shape).
inline void expectNear(const at::Tensor &actual, const at::Tensor &expected,
                       double tol = 1e-9) {
  ASSERT_TRUE(actual.defined());
  ASSERT_EQ(shape(actual), shape(expected));
  at::Tensor a = actual.detach().to(at::kDouble).contiguous().reshape({-1});
  at::Tensor e = expected.detach().to(at::kDouble).contiguous().reshape({-1});
  for (int64_t i = 0; i < a.numel(); ++i)
    EXPECT_NEAR(a[i].item<double>(), e[i].item<double>(), tol)
        << "element " << i;
}

/// A one-element tensor's value.
inline double value(const at::Tensor &t) {
  return t.detach().to(at::kDouble).item<double>();
}

/// `f()` throws std::invalid_argument whose message contains every one of
/// `parts` (argument names, shapes).
template <typename F>
void expectInvalid(F &&f, std::vector<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    std::string message = e.what();
    for (const std::string &part : parts)
      EXPECT_NE(message.find(part), std::string::npos)
          << "'" << part << "' not in: " << message;
  } catch (const std::exception &e) {
    ADD_FAILURE() << "expected std::invalid_argument, got: " << e.what();
  }
}

} // namespace rlg::runtime::testing
