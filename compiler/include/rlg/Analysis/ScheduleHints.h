// What the program's schedule block pins, read from rlg.hints.
#pragma once

#include "rlg/Analysis/StepOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace rlg::analysis {

/// The layout keys a pin may hold, in the order messages list them.
inline constexpr llvm::StringLiteral kLayoutKeys[] = {
    "dp", "tp", "pp", "zero", "microbatch", "checkpointing", "offload"};

struct ScheduleHints {
  /// The rlg.hints op; null when the program pins nothing.
  mlir::Operation *op = nullptr;
  /// "actor.update" -> {dp = 4 : i64, zero = 2 : i64, ...}: pinned keys
  /// only, in the order of rlg.hints' `layouts` (sorted by key).
  llvm::MapVector<llvm::StringRef, mlir::DictionaryAttr> pins;
  /// Groups of models that share devices.
  std::vector<llvm::SmallVector<llvm::StringRef>> colocate;

  /// The pin for `call`, or null.
  mlir::DictionaryAttr pinFor(const ModelCall &call) const;
  /// The index of the colocate group holding `model`, or -1.
  int colocateGroupOf(llvm::StringRef model) const;
};

/// Reads the module's rlg.hints (the first one, if any).
ScheduleHints readScheduleHints(mlir::ModuleOp module);

/// A pinned integer (dp, tp, pp, zero, microbatch) or boolean
/// (checkpointing, offload) layout key, if the pin holds it.
std::optional<int64_t> pinnedInt(mlir::DictionaryAttr pin, llvm::StringRef key);
std::optional<bool> pinnedBool(mlir::DictionaryAttr pin, llvm::StringRef key);

} // namespace rlg::analysis
