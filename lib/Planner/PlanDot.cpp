// The step graph as Graphviz DOT: calls inside their device groups.
#include "PlanLabels.h"
#include "rlg/Planner/PlanOutputs.h"

#include <fmt/format.h>

namespace rlg::planner {

namespace {

/// `text` inside a DOT double-quoted string: quotes and backslashes
/// escaped, newlines as DOT's centred line break.
std::string dotEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string callNode(const PlanProblem &problem, const Plan &plan,
                     const Evaluation &evaluation, int call) {
  const CallSpec &spec = problem.workload.calls[call];
  std::string label = spec.id + "\n" + callTitle(problem, call) + "\n" +
                      describeCallLayout(problem, plan, call);
  if (call < static_cast<int>(evaluation.calls.size()))
    label += fmt::format("\n{:.3f} s", evaluation.calls[call].seconds);
  return fmt::format("c{} [label=\"{}\", fillcolor=\"{}\"];", call,
                     dotEscape(label), colourOfKey(callKindName(spec.kind)));
}

} // namespace

std::string planDot(const PlanProblem &problem, const Plan &plan,
                    const Evaluation &evaluation) {
  const auto &calls = problem.workload.calls;
  std::string out = "digraph step {\n";
  out += fmt::format(
      "  label=\"{}\";\n  labelloc=t;\n",
      dotEscape(fmt::format("{}: {:.3f} s per step (dashed: results moved "
                            "between groups)",
                            plan.strategy.empty() ? "plan" : plan.strategy,
                            evaluation.stepSeconds)));
  out += "  rankdir=LR;\n  fontname=\"Helvetica\";\n";
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\","
         " fontsize=11];\n";
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    out += fmt::format("  subgraph cluster_group{} {{\n", g);
    out += fmt::format(
        "    label=\"{}\";\n    style=rounded;\n    color=\"#888888\";\n",
        dotEscape(groupTitle(problem, plan, static_cast<int>(g))));
    for (size_t i = 0; i < calls.size(); ++i)
      if (plan.groupOf(calls[i].model) == static_cast<int>(g))
        out += "    " +
               callNode(problem, plan, evaluation, static_cast<int>(i)) + "\n";
    out += "  }\n";
  }
  for (size_t i = 0; i < calls.size(); ++i)
    if (plan.groupOf(calls[i].model) < 0)
      out += "  " + callNode(problem, plan, evaluation, static_cast<int>(i)) +
             "\n";
  for (size_t i = 0; i < calls.size(); ++i) {
    int reader = plan.groupOf(calls[i].model);
    for (int input : calls[i].inputs) {
      if (input < 0 || input >= static_cast<int>(calls.size()))
        continue;
      bool crossesGroups = plan.groupOf(calls[input].model) != reader;
      out += fmt::format("  c{} -> c{}{};\n", input, i,
                         crossesGroups ? " [style=dashed]" : "");
    }
  }
  return out + "}\n";
}

} // namespace rlg::planner
