// Where a data source's examples come from: a count, and reads by index.
#include "rlg/Runtime/Data/ExampleSource.h"

#include <stdexcept>
#include <string>

namespace rlg::runtime {

Example ExampleSource::at(int64_t index) const {
  return fetch({index}).front();
}

std::vector<Example> ExampleSource::range(int64_t begin, int64_t end) const {
  std::vector<int64_t> indices;
  for (int64_t i = begin; i < end; ++i)
    indices.push_back(i);
  return fetch(indices);
}

std::vector<Example>
InMemoryExamples::fetch(const std::vector<int64_t> &indices) const {
  std::vector<Example> out;
  out.reserve(indices.size());
  for (int64_t index : indices) {
    if (index < 0 || index >= size())
      throw std::out_of_range("example " + std::to_string(index) +
                              " does not exist (there are " +
                              std::to_string(size()) + ")");
    out.push_back(examples_[index]);
  }
  return out;
}

} // namespace rlg::runtime
