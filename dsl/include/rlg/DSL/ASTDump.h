// Text forms of a checked program: the AST dump and the one-paragraph summary.
#pragma once

#include "rlg/DSL/AST.h"
#include "rlg/DSL/Sema.h"

#include <ostream>

namespace rlg::dsl {

/// An indented tree with `<line:col-line:col>` ranges and types of values.
void dumpAST(std::ostream &os, const Program &program,
             const SourceManager &sources);

/// What a program is: its models, data, and each step's nodes and edges.
void printSummary(std::ostream &os, const Program &program,
                  const CheckedProgram &checked);

} // namespace rlg::dsl
