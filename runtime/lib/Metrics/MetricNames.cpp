// Metric names with a part that varies: a stage, a model, a data source.
#include "rlg/Runtime/Metrics/MetricNames.h"

namespace rlg::runtime::metric {

std::string timing(std::string_view stage) {
  return "timing_s/" + std::string(stage);
}

std::string mfu(std::string_view model) {
  return "perf/mfu/" + std::string(model);
}

std::string evalAccuracy(std::string_view data) {
  return "eval/" + std::string(data) + "/accuracy";
}

std::string evalPassAtK(std::string_view data, int64_t k) {
  return "eval/" + std::string(data) + "/pass@" + std::to_string(k);
}

std::string evalRewardMean(std::string_view data) {
  return "eval/" + std::string(data) + "/reward/mean";
}

} // namespace rlg::runtime::metric
