// The argument combinations of a jsonl data source and the kinds they give.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace rlg::data {

/// One valid combination of roles (the named arguments of `jsonl(...)`).
struct JsonlShape {
  std::vector<std::string> needed;   // all given
  std::vector<std::string> optional; // may be given too
  /// The kinds it gives: one, or several when the records decide (a
  /// conversation ending with an assistant message is a demo).
  std::vector<std::string> kinds;
  /// How the docs and hints write it, e.g. "prompt, response -> demos".
  std::string description;

  bool gives(const std::string &kind) const;
  bool allows(const std::string &role) const;
};

/// Every valid combination.
const std::vector<JsonlShape> &jsonlShapes();

/// The combination that `roles` make: all its needed roles and no role it
/// does not allow; null when there is none.
const JsonlShape *matchJsonlShape(const std::set<std::string> &roles);

/// Every role some combination allows, in the order the docs list them.
const std::vector<std::string> &jsonlRoles();

/// The valid combinations in one line, for hints.
std::string jsonlShapesHint();

} // namespace rlg::data
