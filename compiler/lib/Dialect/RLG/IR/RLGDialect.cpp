// Registration of the rlg dialect's types, attributes and ops.
#include "rlg/Dialect/RLG/IR/RLGDialect.h"

#include "rlg/Dialect/RLG/IR/RLGAttrs.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"
#include "rlg/Dialect/RLG/IR/RLGTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include "rlg/Dialect/RLG/IR/RLGDialect.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGAttrs.cpp.inc"

void rlg::ir::RLGDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "rlg/Dialect/RLG/IR/RLGTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "rlg/Dialect/RLG/IR/RLGAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "rlg/Dialect/RLG/IR/RLGOps.cpp.inc"
      >();
}
