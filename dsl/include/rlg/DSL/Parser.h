// Parses tokens into a Program, recovering from errors at declaration and
// statement boundaries.
#pragma once

#include "rlg/DSL/AST.h"
#include "rlg/Support/Diagnostics.h"

namespace rlg::dsl {

/// Lexes and parses one buffer. Errors go to `diags`; the returned program
/// holds everything that parsed cleanly.
Program parseProgram(uint32_t bufferId, const SourceManager &sources,
                     DiagnosticEngine &diags);

} // namespace rlg::dsl
