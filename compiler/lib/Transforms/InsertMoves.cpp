// rlg-insert-moves: the reshards, transfers and offloads a placement needs.
#include "rlg/Transforms/Passes.h"

#include "rlg/Analysis/PlanMoves.h"

namespace rlg {
#define GEN_PASS_DEF_INSERTMOVES
#include "rlg/Transforms/Passes.h.inc"
} // namespace rlg

namespace {

struct InsertMoves : rlg::impl::InsertMovesBase<InsertMoves> {
  void runOnOperation() override { rlg::analysis::insertMoves(getOperation()); }
};

} // namespace
