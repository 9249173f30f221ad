// A step value as tensors and a small JSON record, to send between ranks.
#pragma once

#include "rlg/Runtime/Executor/RunContext.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace rlg::runtime {

/// A value taken apart: `record` names its kind and carries what is not a
/// tensor; `tensors` are its tensors in a fixed order. When `rows` > 0, every
/// tensor has `rows` rows (dimension 0), so a slice of rows is a value too.
struct EncodedValue {
  nlohmann::json record;
  std::vector<at::Tensor> tensors;
  int64_t rows = 0;
};

EncodedValue encodeValue(const StepValue &value);

/// Rows [begin, end) of a value whose rows > 0 (the record unchanged: it
/// describes the whole value).
EncodedValue sliceRows(const EncodedValue &value, int64_t begin, int64_t end);

/// The value back, on the run's device: example batches are drawn again
/// from this rank's data by their example ids, texts decoded again.
StepValue decodeValue(RunContext &run, const EncodedValue &value);

} // namespace rlg::runtime
