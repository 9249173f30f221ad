// Stage starts: deferred `from = M` weight copies, frozen copies refreshed,
// precomputed tables recomputed.
#include "rlg/Runtime/Executor/StageStart.h"

#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Model/ModelCopy.h"

#include <functional>

namespace rlg::runtime {

size_t firstStageUsing(const schedule::Schedule &schedule,
                       const std::string &model) {
  for (size_t i = 0; i < schedule.run.stages.size(); ++i)
    if (const schedule::Step *step =
            schedule.findStep(schedule.run.stages[i].step))
      for (const schedule::Op &op : step->ops)
        if (op.model == model)
          return i;
  return 0;
}

bool awaitsWeights(const schedule::Schedule &schedule, const std::string &model,
                   size_t stageIndex) {
  const schedule::Model *decl = schedule.findModel(model);
  if (decl && decl->frozen)
    decl = schedule.findModel(decl->frozenFrom);
  return decl && !decl->initFrom.empty() &&
         firstStageUsing(schedule, decl->name) > stageIndex;
}

std::set<std::string> startStage(RunContext &run, size_t stageIndex) {
  const schedule::Schedule &schedule = run.schedule;
  std::set<std::string> refreshed;
  std::function<void(const schedule::Model &)> initialize =
      [&](const schedule::Model &decl) {
        if (refreshed.count(decl.name))
          return;
        // A source that starts in this stage too is initialised first.
        if (const schedule::Model *source = schedule.findModel(decl.initFrom))
          if (!source->initFrom.empty() &&
              firstStageUsing(schedule, source->name) == stageIndex)
            initialize(*source);
        copyMatchingWeights(run.model(decl.initFrom).model,
                            run.model(decl.name).model);
        refreshed.insert(decl.name);
        for (const schedule::Model &frozen : schedule.models)
          if (frozen.frozen && frozen.frozenFrom == decl.name) {
            copyMatchingWeights(run.model(decl.name).model,
                                run.model(frozen.name).model);
            refreshed.insert(frozen.name);
          }
      };
  for (const schedule::Model &decl : schedule.models)
    if (!decl.frozen && !decl.initFrom.empty() &&
        firstStageUsing(schedule, decl.name) == stageIndex)
      initialize(decl);
  if (!refreshed.empty())
    computeTables(run, &refreshed);
  return refreshed;
}

} // namespace rlg::runtime
