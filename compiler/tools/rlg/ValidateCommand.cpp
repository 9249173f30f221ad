// `rlg validate`: read and check schedule files (and cluster files, .toml),
// print each problem with the field or the line it is in.
#include "ClusterErrors.h"
#include "Commands.h"

#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Spec/ClusterSpec.h"

#include <iostream>

namespace rlg::driver {

namespace {

/// Checks one cluster file; prints its summary or its located errors.
bool validateClusterFile(const std::string &file) {
  ClusterSpec cluster;
  std::vector<ClusterError> errors;
  if (readClusterFile(file, cluster, errors)) {
    std::cout << file << ": valid cluster, " << describeCluster(cluster)
              << '\n';
    return true;
  }
  printClusterErrors(std::cerr, file, errors);
  return false;
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

int runValidate(const ValidateOptions &options) {
  bool failed = false;
  for (const std::string &file : options.files) {
    if (endsWith(file, ".toml")) {
      failed |= !validateClusterFile(file);
      continue;
    }
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
