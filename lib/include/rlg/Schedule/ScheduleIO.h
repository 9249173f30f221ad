// Reading and writing schedules as JSON text.
#pragma once

#include "rlg/Schedule/Schedule.h"
#include "rlg/Schedule/ScheduleError.h"

#include <string>
#include <string_view>
#include <vector>

namespace rlg::schedule {

/// The schedule as pretty-printed JSON, keys in the documented order, ending
/// with a line break. Never throws.
std::string writeScheduleJson(const Schedule &schedule);

/// Parses `text` into `out`. Never throws: malformed JSON, a wrong format or
/// version, missing or unknown fields and wrong types become errors naming
/// the field's path. Returns true when there were no errors. Reading checks
/// shapes only; validateSchedule() checks what the values mean.
bool readScheduleJson(std::string_view text, Schedule &out,
                      std::vector<ScheduleError> &errors);

/// Reads the file at `path` and then its text. A file that cannot be opened
/// is one error with an empty path.
bool readScheduleFile(const std::string &path, Schedule &out,
                      std::vector<ScheduleError> &errors);

} // namespace rlg::schedule
