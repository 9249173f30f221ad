// Semantic checks of the run settings and the planner's predictions.
#include "ValidateParts.h"

#include "rlg/Support/TextDistance.h"

namespace rlg::schedule {
namespace {

std::vector<std::string> stepNames(const Schedule &schedule) {
  std::vector<std::string> names;
  for (const Step &step : schedule.steps)
    names.push_back(step.name);
  return names;
}

/// Reports a step name that names no step; returns the step or nullptr.
const Step *checkStepName(Checker &checker, const std::string &path,
                          const std::string &name) {
  const Step *step = checker.schedule.findStep(name);
  if (!step)
    checker.error(path, "unknown step " + quoted(name),
                  didYouMean(name, stepNames(checker.schedule)));
  return step;
}

void validateEval(Checker &checker, const std::string &path,
                  const EvalSetting &eval) {
  const DataSource *data = nullptr;
  std::vector<std::string> dataNames;
  for (const DataSource &source : checker.schedule.data) {
    dataNames.push_back(source.name);
    if (source.name == eval.data)
      data = &source;
  }
  if (!data)
    checker.error(path + ".data", "unknown data source " + quoted(eval.data),
                  didYouMean(eval.data, dataNames));
  else if (data->kind != "prompts")
    checker.error(path + ".data", "evaluation needs prompts, but " +
                                      quoted(eval.data) + " gives " +
                                      data->kind);
  const Model *model = checker.schedule.findModel(eval.model);
  if (!model)
    checker.error(path + ".model", "unknown model " + quoted(eval.model),
                  checker.modelHint(eval.model));
  else if (model->role != "policy")
    checker.error(path + ".model", "evaluation needs a policy, but " +
                                       quoted(eval.model) + " is a " +
                                       model->role + " model");
  checker.checkAtLeast(path + ".every", eval.every, 1);
  checker.checkAtLeast(path + ".k", eval.k, 1);
  checker.checkNonNegative(path + ".temperature", eval.temperature);
  checker.checkNonNegative(path + ".max_tokens", eval.maxTokens);
}

} // namespace

void validateRun(Checker &checker) {
  const RunSettings &run = checker.schedule.run;
  if (run.stages.empty())
    checker.error("run.stages", "the run has no stages",
                  "add one, such as {\"step\": \"grpo\", \"steps\": 100}");
  for (size_t i = 0; i < run.stages.size(); ++i) {
    std::string path = indexPath("run.stages", i);
    checkStepName(checker, path + ".step", run.stages[i].step);
    checker.checkAtLeast(path + ".steps", run.stages[i].steps, 1);
  }
  checker.checkAtLeast("run.seed", run.seed, 0);
  for (size_t i = 0; i < run.eval.size(); ++i)
    validateEval(checker, indexPath("run.eval", i), run.eval[i]);
  if (run.checkpoint) {
    checker.checkAtLeast("run.checkpoint.every", run.checkpoint->every, 1);
    if (run.checkpoint->dir.empty())
      checker.error("run.checkpoint.dir", "must not be empty");
  }
  const Overlap &overlap = run.overlap;
  if (!checker.checkOneOf("run.overlap.kind", "overlap", overlap.kind,
                          {"none", "off_policy", "stream"}))
    return;
  if (overlap.kind == "off_policy")
    checker.checkAtLeast("run.overlap.staleness", overlap.staleness, 1);
  if (overlap.kind == "stream")
    checker.checkAtLeast("run.overlap.chunks", overlap.chunks, 1);
}

void validatePredictions(Checker &checker) {
  if (!checker.schedule.predictions)
    return;
  const Predictions &predictions = *checker.schedule.predictions;
  for (size_t i = 0; i < predictions.steps.size(); ++i) {
    const StepPrediction &prediction = predictions.steps[i];
    std::string path = indexPath("predictions.steps", i);
    const Step *step = checkStepName(checker, path + ".step", prediction.step);
    checker.checkNonNegative(path + ".step_time_s", prediction.stepTimeS);
    for (const auto &[id, seconds] : prediction.opTimeS) {
      std::string opPath = fieldPath(path + ".op_time_s", id);
      bool known = false;
      if (step)
        for (const Op &op : step->ops)
          known |= op.id == id;
      if (step && !known)
        checker.error(opPath, "unknown op " + quoted(id) + " in step " +
                                  quoted(step->name));
      checker.checkNonNegative(opPath, seconds);
    }
  }
  int64_t devices = checker.schedule.cluster.deviceCount;
  for (const auto &[rank, phases] : predictions.memoryBytes) {
    std::string path =
        fieldPath("predictions.memory_bytes", std::to_string(rank));
    if (rank >= devices)
      checker.error(path, "device rank " + std::to_string(rank) +
                              " is out of range: the cluster has " +
                              countOf(devices, "device"));
    for (const auto &[phase, bytes] : phases)
      checker.checkAtLeast(fieldPath(path, phase), bytes, 0);
  }
}

} // namespace rlg::schedule
