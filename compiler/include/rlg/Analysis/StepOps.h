// What the passes ask about the ops of a step: which are effects, losses or
// planning ops, which model calls they make, how many sequences they process.
#pragma once

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace rlg::analysis {

/// A call of a model that a schedule can pin a layout for, as the schedule
/// block names it: `actor.update`.
struct ModelCall {
  llvm::StringRef model; ///< "actor"
  llvm::StringRef call;  ///< "generate", "logprob", "value", "score", "update"

  explicit operator bool() const { return !model.empty(); }
  /// "actor.update", the key of rlg.hints' `layouts`.
  std::string key() const { return (model + "." + call).str(); }
};

/// The model call `op` makes (rlg.generate, logprob, value, score, update),
/// or an empty ModelCall.
ModelCall getModelCall(mlir::Operation *op);

/// Ops whose result is an !rlg.loss: evaluated inside their rlg.update.
bool isLossOp(mlir::Operation *op);

/// Ops that planning inserts: reshard, transfer, offload, onload,
/// weight_sync, async, await.
bool isPlanningOp(mlir::Operation *op);

/// Ops a step exists for: rlg.update and the planning ops. Everything else
/// only computes values for them.
bool isEffect(mlir::Operation *op);

/// Ops that get an rlg.placement: every op of a step except losses and
/// planning ops.
bool isPlaceable(mlir::Operation *op);

/// The model whose weights `op` changes: the model an rlg.update trains or
/// the target of an rlg.weight_sync; "" for other ops.
llvm::StringRef writtenModel(mlir::Operation *op);

/// The sequences (or examples) `op` processes at once, which data
/// parallelism splits: an update's mini-batch, a generate's prompts, a
/// batch's size, otherwise the sequences of its first batch-shaped operand;
/// 0 when it processes no batch.
int64_t processedSequences(mlir::Operation *op);

/// The step values `op` reads. An rlg.update reads what its loss ops read,
/// since they are evaluated inside it.
llvm::SmallVector<mlir::Value> readValues(mlir::Operation *op);

} // namespace rlg::analysis
