// Plan helpers: group lookup and one-line descriptions.
#include "rlg/Planner/Plan.h"

#include <fmt/format.h>

namespace rlg::planner {

int Plan::groupOf(int model) const {
  for (size_t g = 0; g < groups.size(); ++g)
    for (int member : groups[g].models)
      if (member == model)
        return static_cast<int>(g);
  return -1;
}

std::string describePartition(const Plan &plan,
                              const std::vector<std::string> &modelNames) {
  std::string text;
  for (const DeviceGroup &group : plan.groups) {
    if (!text.empty())
      text += " | ";
    text += "{";
    for (size_t i = 0; i < group.models.size(); ++i)
      text += (i ? ", " : "") + modelNames[group.models[i]];
    text += fmt::format("}} x {}", group.deviceCount);
  }
  return text;
}

std::string describeLayout(const TrainLayout &layout) {
  return fmt::format("dp{} tp{} pp{} zero{} mb{}{}", layout.dp, layout.tp,
                     layout.pp, layout.zero, layout.microBatch,
                     layout.checkpointing ? " ckpt" : "");
}

} // namespace rlg::planner
