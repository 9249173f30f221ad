// Combining metrics over micro-batches (and over the steps of a window).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rlg::runtime {

/// Metric name -> value, e.g. {"actor/pg_clipfrac", 0.12}. The same alias
/// as rlg/Runtime/Algorithms/Metrics.h's.
using MetricMap = std::map<std::string, double>;

/// How a metric's values combine.
enum class Reduce {
  Mean, // Weighted mean (the default): losses, clip fractions, KL, entropy.
  Sum,  // Token counts, sample counts.
  Max,  // Peaks: response_length/max, grad-norm spikes.
  Min,
  Last, // The value at the end: learning rate, KL coefficient.
};

/// Accumulates metrics from micro-batches and reports one value per name.
/// A name's reduction is fixed by its first add(); Mean weighs each value
/// by `weight` (e.g. a micro-batch's token or sequence count).
class MetricAccumulator {
public:
  void add(const std::string &name, double value, double weight = 1.0,
           Reduce reduce = Reduce::Mean);
  /// Every entry of `metrics`, each with `weight` and Mean.
  void add(const MetricMap &metrics, double weight = 1.0);

  /// One value per name. Non-finite values are kept (a NaN loss must show).
  /// A Mean whose weights sum to 0 is NaN.
  MetricMap result() const;
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

private:
  struct Entry {
    Reduce reduce = Reduce::Mean;
    double sum = 0;    // Mean: sum of weight * value; Sum: sum of values.
    double weight = 0; // Mean: sum of weights.
    double value = 0;  // Max, Min, Last.
    int64_t count = 0;
  };
  std::map<std::string, Entry> entries_;
};

/// The unweighted mean of each name over the maps that have it.
MetricMap meanOf(const std::vector<MetricMap> &maps);

} // namespace rlg::runtime
