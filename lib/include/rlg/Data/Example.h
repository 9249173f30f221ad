// One example of a data source, of any of the four kinds.
#pragma once

#include <string>

namespace rlg::data {

/// The fields a kind does not use stay empty (and `label` false).
struct Example {
  std::string prompt;
  std::string answer;           // prompts with answers
  std::string response;         // demos, labeled
  std::string chosen, rejected; // pairs
  bool label = false;           // labeled

  bool operator==(const Example &other) const {
    return prompt == other.prompt && answer == other.answer &&
           response == other.response && chosen == other.chosen &&
           rejected == other.rejected && label == other.label;
  }
  bool operator!=(const Example &other) const { return !(*this == other); }
};

} // namespace rlg::data
