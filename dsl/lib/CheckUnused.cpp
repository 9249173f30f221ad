// Warnings for values and declarations that nothing uses.
#include "Checker.h"

#include <functional>

namespace rlg::dsl {

void Checker::reportUnused() {
  for (const StepGraph &graph : out_.steps) {
    const StepDecl &step = *graph.decl;
    std::vector<bool> used(step.nodes.size(), false);
    for (auto [from, to] : graph.edges)
      if (from != to)
        used[from] = true;
    for (size_t i = 0; i < step.nodes.size(); ++i) {
      const Stmt &node = step.nodes[i];
      if (node.kind == Stmt::Kind::Update || used[i])
        continue;
      if (node.kind == Stmt::Kind::Param)
        warning(node.nameRange, "parameter '" + node.name + "' is never used",
                "remove it, or generate from it");
      else
        warning(node.nameRange,
                "value '" + node.name + "' is computed but never used",
                "remove it, or use it in an update's loss");
    }
  }
  for (const ModelDecl &decl : program_.models)
    if (!usedGlobals_.count(decl.name))
      warning(decl.nameRange, "model '" + decl.name + "' is never used");
  for (const DataDecl &decl : program_.data)
    if (!usedGlobals_.count(decl.name))
      warning(decl.nameRange, "data '" + decl.name + "' is never used");
  for (const RewardDecl &decl : program_.rewards)
    if (!usedGlobals_.count(decl.name))
      warning(decl.nameRange, "reward '" + decl.name + "' is never used");
}

} // namespace rlg::dsl
