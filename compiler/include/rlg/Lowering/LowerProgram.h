// Lowering of a checked .rlg program into an rlg-dialect module.
#pragma once

#include "rlg/DSL/Frontend.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace rlg::lowering {

/// Builds the module for a program that passed the checker: declarations,
/// hints, one rlg.step per step, evaluations and the run. Every op carries a
/// NameLoc of the program's value name around the FileLineColLoc of its
/// source. Returns null after emitting an MLIR diagnostic when the program
/// holds something the checker should have rejected.
mlir::OwningOpRef<mlir::ModuleOp>
lowerProgram(mlir::MLIRContext &context, const dsl::FrontendResult &frontend,
             const SourceManager &sources, const std::string &sourcePath);

} // namespace rlg::lowering
