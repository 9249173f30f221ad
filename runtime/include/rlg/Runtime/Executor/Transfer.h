// A `transfer` op: a value moves from the mesh that computed it to the
// ranks that read it, each destination receiving only its slice of rows.
#pragma once

#include "rlg/Runtime/Executor/RunContext.h"

namespace rlg::runtime {

/// Runs `op` (a transfer of `step`) on this rank: a source rank sends the
/// slices of the destinations it serves; a destination rank receives its
/// slice and gathers the others' from its fellow destinations, then holds
/// the whole value under the op's id. Values whose tensors are not
/// row-aligned (scores of example pairs) move whole.
void runTransfer(RunContext &run, const schedule::Step &step,
                 const schedule::Op &op, StepValues &values);

} // namespace rlg::runtime
