// What reading and saving Hugging Face checkpoints share: checking a set of
// weights against the ones a model needs, and reporting the differences.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::runtime::hf_detail {

/// "[896, 4864]".
std::string shapeText(const std::vector<int64_t> &shape);

/// The differences between the weights at hand and the expected ones.
struct WeightMismatches {
  std::vector<std::string> missing;    ///< "name [shape]"
  std::vector<std::string> unexpected; ///< "name [shape]"
  std::vector<std::string> misshapen;  ///< "name: expected [..], found [..]"
  std::vector<std::string> notFloat;   ///< "name (I64)"

  bool empty() const {
    return missing.empty() && unexpected.empty() && misshapen.empty() &&
           notFloat.empty();
  }
  /// One line per kind, the first few names of each and how many more.
  std::string describe() const;
};

} // namespace rlg::runtime::hf_detail
