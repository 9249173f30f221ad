// A problem found while reading or validating a schedule: the field's JSON
// path, a message and an optional hint.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rlg::schedule {

struct ScheduleError {
  std::string path;    // "steps[0].ops[3].layout.tp"; "" for the whole file.
  std::string message; // What is wrong, without the path.
  std::string hint;    // "" when there is nothing useful to suggest.
};

/// Stops recording past this many errors; one more error says so.
inline constexpr size_t kMaxScheduleErrors = 50;

/// Appends an error unless the list is full.
void addScheduleError(std::vector<ScheduleError> &errors, std::string path,
                      std::string message, std::string hint = {});

/// `path: message` (or just the message for an empty path).
std::string formatScheduleError(const ScheduleError &error);

} // namespace rlg::schedule
