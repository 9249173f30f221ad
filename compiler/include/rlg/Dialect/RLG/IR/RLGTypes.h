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

/// Sequences a batch or score type holds: batch x samples, or the batch
/// without samples; 0 for other types.
int64_t sequenceCount(mlir::Type type);

/// "[16 x 8]"-style text of a batch type's dimensions, for messages.
std::string shapeText(mlir::Type type);

} // namespace rlg::ir
