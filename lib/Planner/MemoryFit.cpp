// Memory fit: usable device memory and the explained shortfall of a ledger.
#include "rlg/Planner/MemoryFit.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace rlg::planner {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string gib(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", bytes / kGiB);
  return text;
}

} // namespace

double usableBytes(const DeviceProfile &device) {
  return std::max(0.0, (device.memoryGiB - 2.0) * kGiB * 0.95);
}

std::optional<std::string> memoryShortfall(const MemoryLedger &ledger,
                                           const DeviceProfile &device) {
  double usable = usableBytes(device);
  if (ledger.total() <= usable)
    return std::nullopt;
  std::vector<std::pair<double, const char *>> entries = {
      {ledger.weights, "weights"},     {ledger.gradients, "gradients"},
      {ledger.optimizer, "optimizer"}, {ledger.activations, "activations"},
      {ledger.kvCache, "KV cache"},    {ledger.buffers, "logits"}};
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const auto &a, const auto &b) { return a.first > b.first; });
  std::string text = "needs " + gib(ledger.total()) + " GiB of " + gib(usable) +
                     " GiB usable on a " + device.name + ":";
  bool first = true;
  for (const auto &[bytes, name] : entries)
    if (bytes > 0) {
      text += std::string(first ? " " : ", ") + name + " " + gib(bytes);
      first = false;
    }
  return text;
}

} // namespace rlg::planner
