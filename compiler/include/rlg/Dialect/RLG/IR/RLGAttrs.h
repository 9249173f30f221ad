// Attributes of the rlg dialect: meshes, layouts and placements.
#pragma once

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#define GET_ATTRDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGAttrs.h.inc"
