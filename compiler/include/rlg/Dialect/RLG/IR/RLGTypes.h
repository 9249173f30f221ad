// Types of the rlg dialect: batches with their dimensions, losses, handles.
#pragma once

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGTypes.h.inc"

namespace rlg::ir {

/// The batch and sample counts of any rlg batch or score type; false for
/// other types.
bool getBatchShape(mlir::Type type, int64_t &batch, int64_t &samples);

/// "[16 x 8]"-style text of a batch type's dimensions, for messages.
std::string shapeText(mlir::Type type);

} // namespace rlg::ir
