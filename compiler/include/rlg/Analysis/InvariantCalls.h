// Which model calls give the same value for an example in every step, and
// whether computing them once before training pays.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace rlg::ir {
class BatchOp;
class DataOp;
} // namespace rlg::ir

namespace rlg::analysis {

/// A call of a frozen model on examples drawn straight from a data source:
/// a pure function of each example.
struct InvariantCall {
  mlir::Operation *call; ///< the rlg.logprob
  llvm::StringRef model; ///< the frozen model it calls
  llvm::StringRef kind;  ///< "logprob"
  llvm::StringRef data;  ///< the data source its batch draws from
  bool demos;            ///< the batch is a `.demos()` batch
};

/// The examples a data source holds: its `size` argument, if it has one.
std::optional<int64_t> dataSourceSize(ir::DataOp data);

/// The examples the run draws from `data` over all its stages: for each
/// stage, its steps times the sizes of the step's batches of `data`.
int64_t examplesDrawn(mlir::ModuleOp module, llvm::StringRef data);

/// Whether computing `data`'s examples once pays: the run draws at least as
/// many examples as the source has (so every example is seen, on average,
/// at least once). False when the source's size is unknown.
bool precomputePays(mlir::ModuleOp module, llvm::StringRef data);

/// Every logprob, in every step, of a frozen model that no rlg.weight_sync
/// writes, whose input is directly an rlg.batch result (score and value read
/// rollouts, never data examples). With `force` all of
/// them; otherwise only those whose data source precomputePays.
llvm::SmallVector<InvariantCall> findInvariantCalls(mlir::ModuleOp module,
                                                    bool force);

} // namespace rlg::analysis
