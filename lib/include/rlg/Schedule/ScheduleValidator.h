// The semantic checks of a schedule: references resolve, meshes and layouts
// agree, the step graphs are acyclic and every rank's instructions run each
// op of its meshes once, in dependency order.
#pragma once

#include "rlg/Schedule/Schedule.h"
#include "rlg/Schedule/ScheduleError.h"

#include <string>
#include <vector>

namespace rlg::schedule {

/// Appends one error per broken invariant. Returns true when there were none.
bool validateSchedule(const Schedule &schedule,
                      std::vector<ScheduleError> &errors);

/// Reads and validates: what a loader of schedule files calls.
bool loadSchedule(const std::string &path, Schedule &out,
                  std::vector<ScheduleError> &errors);

} // namespace rlg::schedule
