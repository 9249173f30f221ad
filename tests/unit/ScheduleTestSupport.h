// Shared helpers of the schedule tests: the documented example and error
// look-ups.
#pragma once

#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rlg::schedule::test {

/// The text of docs/schedule-format.md's example (a GRPO step on one device).
inline std::string exampleText() {
  std::ifstream file(RLG_SCHEDULE_EXAMPLE, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

inline Schedule exampleSchedule() {
  Schedule schedule;
  std::vector<ScheduleError> errors;
  EXPECT_TRUE(readScheduleJson(exampleText(), schedule, errors));
  EXPECT_TRUE(errors.empty());
  return schedule;
}

inline std::vector<ScheduleError> validationErrors(const Schedule &schedule) {
  std::vector<ScheduleError> errors;
  bool ok = validateSchedule(schedule, errors);
  EXPECT_EQ(ok, errors.empty());
  return errors;
}

inline std::string describe(const std::vector<ScheduleError> &errors) {
  std::string text;
  for (const ScheduleError &error : errors)
    text += "  " + formatScheduleError(error) +
            (error.hint.empty() ? "" : " [hint: " + error.hint + "]") + "\n";
  return text.empty() ? "  (no errors)\n" : text;
}

/// True when some error has exactly `path` and a message containing `text`.
inline bool hasError(const std::vector<ScheduleError> &errors,
                     const std::string &path, const std::string &text) {
  for (const ScheduleError &error : errors)
    if (error.path == path && error.message.find(text) != std::string::npos)
      return true;
  return false;
}

#define EXPECT_VALID(plan)                                                     \
  do {                                                                         \
    auto errors_ = ::rlg::schedule::test::validationErrors(plan);              \
    EXPECT_TRUE(errors_.empty()) << ::rlg::schedule::test::describe(errors_);  \
  } while (0)

#define EXPECT_SCHEDULE_ERROR(plan, path, text)                                \
  do {                                                                         \
    auto errors_ = ::rlg::schedule::test::validationErrors(plan);              \
    EXPECT_TRUE(::rlg::schedule::test::hasError(errors_, path, text))          \
        << "expected " << (path) << ": ..." << (text) << "...; got\n"          \
        << ::rlg::schedule::test::describe(errors_);                           \
  } while (0)

/// The op of the example's step with this id.
inline Op &opNamed(Schedule &schedule, const std::string &id) {
  for (Op &op : schedule.steps.at(0).ops)
    if (op.id == id)
      return op;
  ADD_FAILURE() << "no op " << id;
  return schedule.steps.at(0).ops.at(0);
}

} // namespace rlg::schedule::test
