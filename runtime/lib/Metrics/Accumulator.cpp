// Reducing metrics over micro-batches.
#include "rlg/Runtime/Metrics/Accumulator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rlg::runtime {

void MetricAccumulator::add(const std::string &name, double value,
                            double weight, Reduce reduce) {
  auto [it, inserted] = entries_.try_emplace(name);
  Entry &entry = it->second;
  if (inserted)
    entry.reduce = reduce;
  switch (entry.reduce) {
  case Reduce::Mean:
    entry.sum += weight * value;
    entry.weight += weight;
    break;
  case Reduce::Sum:
    entry.sum += value;
    break;
  case Reduce::Max:
    // std::max would drop a NaN that comes second; keep it visible.
    entry.value = entry.count == 0 || std::isnan(value) || value > entry.value
                      ? value
                      : entry.value;
    break;
  case Reduce::Min:
    entry.value = entry.count == 0 || std::isnan(value) || value < entry.value
                      ? value
                      : entry.value;
    break;
  case Reduce::Last:
    entry.value = value;
    break;
  }
  ++entry.count;
}

void MetricAccumulator::add(const MetricMap &metrics, double weight) {
  for (const auto &[name, value] : metrics)
    add(name, value, weight);
}

MetricMap MetricAccumulator::result() const {
  MetricMap out;
  for (const auto &[name, entry] : entries_) {
    switch (entry.reduce) {
    case Reduce::Mean:
      out[name] = entry.weight != 0 ? entry.sum / entry.weight
                                    : std::numeric_limits<double>::quiet_NaN();
      break;
    case Reduce::Sum:
      out[name] = entry.sum;
      break;
    default:
      out[name] = entry.value;
      break;
    }
  }
  return out;
}

MetricMap meanOf(const std::vector<MetricMap> &maps) {
  MetricAccumulator accumulator;
  for (const MetricMap &map : maps)
    accumulator.add(map);
  return accumulator.result();
}

} // namespace rlg::runtime
