// The readers of each section of a schedule (private to lib/Schedule).
#pragma once

#include "JsonFields.h"
#include "rlg/Schedule/Schedule.h"

namespace rlg::schedule {

void readProgram(const Json &value, ReadContext &ctx, ProgramInfo &out);
void readCluster(const Json &value, ReadContext &ctx, Cluster &out);
void readModels(const Json &value, ReadContext &ctx, std::vector<Model> &out);
void readData(const Json &value, ReadContext &ctx,
              std::vector<DataSource> &out);
void readRewards(const Json &value, ReadContext &ctx, std::vector<Reward> &out);
void readPrecompute(const Json &value, ReadContext &ctx,
                    std::vector<PrecomputeTable> &out);
void readSteps(const Json &value, ReadContext &ctx, std::vector<Step> &out);
void readRun(const Json &value, ReadContext &ctx, RunSettings &out);
void readPredictions(const Json &value, ReadContext &ctx, Predictions &out);

/// Calls `readItem(element, path, item)` for each element of an array.
template <typename T, typename ReadItem>
void readArray(const Json &value, const std::string &path, ReadContext &ctx,
               std::vector<T> &out, ReadItem readItem) {
  if (!value.is_array()) {
    addScheduleError(ctx.errors, path,
                     "expected an array, got " + jsonTypeName(value));
    return;
  }
  out.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    T item;
    readItem(value[i], indexPath(path, i), item);
    out.push_back(std::move(item));
  }
}

} // namespace rlg::schedule
