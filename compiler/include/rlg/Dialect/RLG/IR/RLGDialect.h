// The rlg dialect class.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Dialect.h"

#include "rlg/Dialect/RLG/IR/RLGDialect.h.inc"
