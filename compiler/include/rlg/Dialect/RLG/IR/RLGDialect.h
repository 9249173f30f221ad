// The rlg dialect class.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpImplementation.h"

namespace rlg::ir {
/// Names an op's result after the NameLoc of its location, if it has one.
void nameResultsFromLoc(mlir::Operation *op,
                        mlir::OpAsmSetValueNameFn setNameFn);
} // namespace rlg::ir

#include "rlg/Dialect/RLG/IR/RLGDialect.h.inc"
