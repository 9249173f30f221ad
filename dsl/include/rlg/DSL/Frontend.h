// One call that reads, parses and checks a .rlg file.
#pragma once

#include "rlg/DSL/AST.h"
#include "rlg/DSL/ProgramParams.h"
#include "rlg/DSL/Sema.h"
#include "rlg/Support/Diagnostics.h"

#include <string>

namespace rlg::dsl {

struct FrontendResult {
  Program program;
  CheckedProgram checked;
  bool parsed = false;    // No syntax errors.
  bool checkedOk = false; // No errors at all.
};

/// Parses and, when parsing succeeded, applies the program's parameters
/// (with `overrides` from the command line) and checks one buffer.
FrontendResult runFrontend(uint32_t bufferId, const SourceManager &sources,
                           DiagnosticEngine &diags,
                           const ParamOverrides &overrides = {});

} // namespace rlg::dsl
