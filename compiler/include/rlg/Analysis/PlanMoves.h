// What a placement makes move: a model's weights between the shardings of
// its successive calls (rlg.reshard), values read on another mesh than
// they were made on (rlg.transfer), and the weights of a model whose
// layout offloads, to host memory between its phases (rlg.offload,
// rlg.onload).
#pragma once

#include "mlir/IR/BuiltinOps.h"

namespace rlg::analysis {

/// How many ops insertMoves added.
struct MovesInserted {
  int reshards = 0;
  int transfers = 0;
  int offloads = 0; ///< offload and onload ops together
};

/// Inserts into every placed step, in this order:
/// - an rlg.transfer of each value to each mesh that reads it from another
///   one (once per value and mesh, before its first reader there; a loss
///   op reads on its update's mesh), named `VALUE_to_RANKS`;
/// - an rlg.reshard of a model before each call whose mesh, tp or pp
///   differ from its previous call's, the previous call of the first being
///   the step's last (the step repeats: actor.update -> actor.generate),
///   named `reshard_MODEL`;
/// - for a model whose calls' layouts offload, an rlg.onload before each of
///   its phases (a run of its calls and reshards that no call of another
///   model on shared devices interrupts) and an rlg.offload after it.
/// Offload and onload carry the model's placement there. A module that is
/// not placed is left alone.
MovesInserted insertMoves(mlir::ModuleOp module);

} // namespace rlg::analysis
