// The entry points of schedule validation and the checks' shared helpers.
#include "rlg/Schedule/ScheduleValidator.h"

#include "ValidateParts.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Support/TextDistance.h"

#include <cmath>
#include <fmt/format.h>

namespace rlg::schedule {

std::string quoted(const std::string &name) { return "'" + name + "'"; }

std::string countOf(int64_t count, const char *noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

bool Checker::checkOneOf(const std::string &path, const std::string &what,
                         const std::string &name,
                         const std::vector<std::string> &allowed) {
  for (const std::string &candidate : allowed)
    if (candidate == name)
      return true;
  std::string hint = didYouMean(name, allowed);
  error(path, "unknown " + what + " " + quoted(name),
        hint.empty() ? "use " + quotedList(allowed) : hint);
  return false;
}

bool Checker::checkAtLeast(const std::string &path, int64_t value,
                           int64_t minimum) {
  if (value >= minimum)
    return true;
  error(path, "must be at least " + std::to_string(minimum) + ", got " +
                  std::to_string(value));
  return false;
}

bool Checker::checkNonNegative(const std::string &path, double value,
                               bool positive) {
  if (std::isfinite(value) && (positive ? value > 0 : value >= 0))
    return true;
  error(path, std::string("must be ") + (positive ? "positive" : "at least 0") +
                  ", got " + fmt::format("{}", value));
  return false;
}

std::string Checker::modelHint(const std::string &name) const {
  std::vector<std::string> names;
  for (const Model &model : schedule.models)
    names.push_back(model.name);
  return didYouMean(name, names);
}

const std::vector<int64_t> *Checker::findMesh(const std::string &id) const {
  auto it = schedule.cluster.meshes.find(id);
  return it == schedule.cluster.meshes.end() ? nullptr : &it->second;
}

bool validateSchedule(const Schedule &schedule,
                      std::vector<ScheduleError> &errors) {
  size_t before = errors.size();
  Checker checker{schedule, errors};
  if (schedule.program.name.empty())
    checker.error("program.name", "must not be empty");
  validateCluster(checker);
  validateModels(checker);
  validateData(checker);
  validateRewards(checker);
  validatePrecompute(checker);
  validateSteps(checker);
  validateRun(checker);
  validatePredictions(checker);
  return errors.size() == before;
}

bool loadSchedule(const std::string &path, Schedule &out,
                  std::vector<ScheduleError> &errors) {
  return readScheduleFile(path, out, errors) && validateSchedule(out, errors);
}

} // namespace rlg::schedule
