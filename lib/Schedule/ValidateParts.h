// The semantic checks of each section of a schedule (private to
// lib/Schedule).
#pragma once

#include "SchedulePath.h"
#include "rlg/Schedule/Schedule.h"
#include "rlg/Schedule/ScheduleError.h"

#include <string>
#include <vector>

namespace rlg::schedule {

/// The schedule being checked and where its errors go.
struct Checker {
  const Schedule &schedule;
  std::vector<ScheduleError> &errors;

  void error(std::string path, std::string message, std::string hint = {}) {
    addScheduleError(errors, std::move(path), std::move(message),
                     std::move(hint));
  }
  /// Checks that `name` is one of `allowed`; `what` names the field.
  bool checkOneOf(const std::string &path, const std::string &what,
                  const std::string &name,
                  const std::vector<std::string> &allowed);
  /// Checks that `value` >= `minimum`.
  bool checkAtLeast(const std::string &path, int64_t value, int64_t minimum);
  /// Checks that `value` is finite and >= 0 (or > 0 when `positive`).
  bool checkNonNegative(const std::string &path, double value,
                        bool positive = false);
  /// A "did you mean" hint among the model names, or "".
  std::string modelHint(const std::string &name) const;
  /// The devices of mesh `id`, or nullptr.
  const std::vector<int64_t> *findMesh(const std::string &id) const;
};

/// "'a'" quoted for messages.
std::string quoted(const std::string &name);
/// "1 device", "4 devices".
std::string countOf(int64_t count, const char *noun);

void validateCluster(Checker &checker);
void validateModels(Checker &checker);
void validateData(Checker &checker);
void validateRewards(Checker &checker);
void validatePrecompute(Checker &checker);
void validateSteps(Checker &checker);
void validateInstructions(Checker &checker, const Step &step,
                          const std::string &path);
void validateRun(Checker &checker);
void validatePredictions(Checker &checker);

} // namespace rlg::schedule
