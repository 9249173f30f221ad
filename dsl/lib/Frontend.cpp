// Parse, then check: semantic checks run only on a program that parsed.
#include "rlg/DSL/Frontend.h"

#include "rlg/DSL/Parser.h"

namespace rlg::dsl {

FrontendResult runFrontend(uint32_t bufferId, const SourceManager &sources,
                           DiagnosticEngine &diags,
                           const ParamOverrides &overrides) {
  FrontendResult result;
  unsigned before = diags.errorCount();
  result.program = parseProgram(bufferId, sources, diags);
  result.parsed = diags.errorCount() == before;
  // Checking a partly parsed program would report errors that are only
  // echoes of the syntax errors, so it waits until the syntax is right.
  if (result.parsed && applyProgramParams(result.program, overrides, diags))
    result.checkedOk = checkProgram(result.program, diags, result.checked);
  return result;
}

} // namespace rlg::dsl
