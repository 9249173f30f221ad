// Semantic analysis of a parsed program: names, types, batch shapes, roles,
// the step graphs, cycles and unused values.
#pragma once

#include "rlg/DSL/AST.h"
#include "rlg/Spec/ModelPresets.h"
#include "rlg/Support/Diagnostics.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rlg::dsl {

struct ModelInfo {
  std::string name;
  std::string
      role; // policy, value or reward (a frozen copy keeps its source's role)
  bool frozen = false;
  std::string frozenFrom; // Source of a frozen copy.
  std::string initFrom;   // `from = OTHER`.
  std::string preset;     // "" when sizes are explicit.
  /// `hf = PATH`: the Hugging Face checkpoint folder it starts from (made
  /// absolute), whose config.json gave the sizes; else "".
  std::string hf;
  ModelArch arch;
  bool updated = false; // Some step updates it.
};

/// A checked step: its nodes (parameters, statements, updates) and edges.
struct StepGraph {
  std::string name;
  const StepDecl *decl = nullptr;
  /// Data edges: (producer node, consumer node) indices into decl->nodes.
  std::vector<std::pair<size_t, size_t>> edges;
  /// Ordering edges: every read of a model comes before its update.
  std::vector<std::pair<size_t, size_t>> orderEdges;
  /// A topological order of all nodes (empty when the step has a cycle).
  std::vector<size_t> order;
};

struct CheckedProgram {
  std::vector<ModelInfo> models;
  std::vector<StepGraph> steps;
  const ModelInfo *findModel(const std::string &name) const;
};

/// Checks `program` in place (filling in expression types) and reports
/// problems to `diags`. Returns true when there were no errors.
bool checkProgram(Program &program, DiagnosticEngine &diags,
                  CheckedProgram &out);

} // namespace rlg::dsl
