// `rlg validate`: read and check schedule files, print each problem with the
// field it is in.
#include "Commands.h"

#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"

#include <iostream>

namespace rlg::driver {

int runValidate(const ValidateOptions &options) {
  bool failed = false;
  for (const std::string &file : options.files) {
    schedule::Schedule plan;
    std::vector<schedule::ScheduleError> errors;
    if (schedule::readScheduleFile(file, plan, errors))
      schedule::validateSchedule(plan, errors);
    if (errors.empty()) {
      size_t steps = plan.steps.size();
      size_t ops = plan.opCount();
      std::cout << file << ": valid (" << ops << " op" << (ops == 1 ? "" : "s")
                << " in " << steps << " step" << (steps == 1 ? "" : "s")
                << ")\n";
      continue;
    }
    failed = true;
    for (const schedule::ScheduleError &error : errors) {
      std::cerr << file << ": error: " << schedule::formatScheduleError(error)
                << '\n';
      if (!error.hint.empty())
        std::cerr << "hint: " << error.hint << '\n';
    }
    std::cerr << file << ": " << errors.size() << " error"
              << (errors.size() == 1 ? "" : "s") << '\n';
  }
  return failed ? kExitUserError : kExitOk;
}

} // namespace rlg::driver
