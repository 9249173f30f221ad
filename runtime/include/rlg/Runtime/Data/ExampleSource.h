// Where a data source's examples come from: a count, and reads by index.
#pragma once

#include "rlg/Data/Example.h"

#include <cstdint>
#include <vector>

namespace rlg::runtime {

using Example = data::Example;

/// The examples of one data source, numbered from 0. A source may hold them
/// in memory or read them on demand; callers fetch only what they need.
class ExampleSource {
public:
  virtual ~ExampleSource() = default;

  /// How many examples there are.
  virtual int64_t size() const = 0;

  /// The examples at `indices`, in that order (an index may repeat). Throws
  /// std::out_of_range for an index outside [0, size()).
  virtual std::vector<Example>
  fetch(const std::vector<int64_t> &indices) const = 0;

  /// The example at `index`.
  Example at(int64_t index) const;
  /// The examples [begin, end), for passes over all of them in chunks.
  std::vector<Example> range(int64_t begin, int64_t end) const;
};

/// Examples generated in memory: the built-in tasks.
class InMemoryExamples : public ExampleSource {
public:
  explicit InMemoryExamples(std::vector<Example> examples)
      : examples_(std::move(examples)) {}

  int64_t size() const override {
    return static_cast<int64_t>(examples_.size());
  }
  std::vector<Example>
  fetch(const std::vector<int64_t> &indices) const override;

private:
  std::vector<Example> examples_;
};

} // namespace rlg::runtime
