// Named scalar metrics, as the trainer logs them (verl's names).
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <map>
#include <string>

namespace rlg::runtime {

/// Metric name -> value, e.g. {"actor/pg_clipfrac", 0.12}.
using MetricMap = std::map<std::string, double>;

/// The value of a one-element tensor as a double (copies it to the host).
double scalarValue(const at::Tensor &t);

} // namespace rlg::runtime
