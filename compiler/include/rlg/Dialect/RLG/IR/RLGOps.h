// Ops of the rlg dialect.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "rlg/Dialect/RLG/IR/RLGAttrs.h"
#include "rlg/Dialect/RLG/IR/RLGDialect.h"
#include "rlg/Dialect/RLG/IR/RLGTypes.h"

#define GET_OP_CLASSES
#include "rlg/Dialect/RLG/IR/RLGOps.h.inc"
