// Program parameters: `param NAME = VALUE` declarations, their command-line
// overrides, and the substitution of their uses.
#pragma once

#include "rlg/DSL/AST.h"
#include "rlg/Support/Diagnostics.h"

#include <string>
#include <vector>

namespace rlg::dsl {

/// Overrides as written on the command line: "NAME=VALUE", in order (a
/// later one wins).
using ParamOverrides = std::vector<std::string>;

/// Checks that each parameter is declared once, with a literal value (a
/// string, a number or true/false), and under a name no declaration or step
/// value uses; applies `overrides` (a value is read as the declared value's
/// type); then replaces every use of a parameter's name in the program with
/// its value. Returns false after reporting the errors.
bool applyProgramParams(Program &program, const ParamOverrides &overrides,
                        DiagnosticEngine &diags);

} // namespace rlg::dsl
