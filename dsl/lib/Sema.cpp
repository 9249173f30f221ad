// Entry point of semantic analysis: runs the checks in order.
#include "Checker.h"

namespace rlg::dsl {

const ModelInfo *CheckedProgram::findModel(const std::string &name) const {
  for (const ModelInfo &model : models)
    if (model.name == name)
      return &model;
  return nullptr;
}

bool Checker::run() {
  unsigned before = diags_.errorCount();
  collectGlobals();
  checkModels();
  for (DataDecl &decl : program_.data)
    if (globals_.at(decl.name).kind == GlobalSymbol::Kind::Data)
      checkData(decl);
  checkRewards();
  for (StepDecl &step : program_.steps)
    checkStep(step);
  if (program_.steps.empty())
    error({{program_.bufferId, 0}, 0}, "the program defines no step",
          "add step NAME(prompts = DATA.batch(N)) { ... }");
  checkRun();
  checkSchedule();
  if (diags_.errorCount() == before)
    reportUnused();
  return diags_.errorCount() == before;
}

bool checkProgram(Program &program, DiagnosticEngine &diags,
                  CheckedProgram &out) {
  return Checker(program, diags, out).run();
}

} // namespace rlg::dsl
