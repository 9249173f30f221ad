// Collecting and formatting schedule errors.
#include "rlg/Schedule/ScheduleError.h"

#include <utility>

namespace rlg::schedule {

void addScheduleError(std::vector<ScheduleError> &errors, std::string path,
                      std::string message, std::string hint) {
  if (errors.size() > kMaxScheduleErrors)
    return;
  if (errors.size() == kMaxScheduleErrors) {
    errors.push_back({"", "too many errors; stopped reporting", ""});
    return;
  }
  errors.push_back({std::move(path), std::move(message), std::move(hint)});
}

std::string formatScheduleError(const ScheduleError &error) {
  if (error.path.empty())
    return error.message;
  return error.path + ": " + error.message;
}

} // namespace rlg::schedule
