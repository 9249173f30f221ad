// The argument combinations of a jsonl data source and the kinds they give.
#include "rlg/Data/JsonlShape.h"

#include <algorithm>

namespace rlg::data {

namespace {
bool has(const std::vector<std::string> &list, const std::string &word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}
} // namespace

bool JsonlShape::gives(const std::string &kind) const {
  return has(kinds, kind);
}

bool JsonlShape::allows(const std::string &role) const {
  return has(needed, role) || has(optional, role);
}

const std::vector<JsonlShape> &jsonlShapes() {
  static const std::vector<JsonlShape> shapes = {
      {{"prompt"}, {"answer"}, {"prompts"}, "prompt [answer] -> prompts"},
      {{"messages", "answer"}, {}, {"prompts"}, "messages, answer -> prompts"},
      {{"messages"},
       {},
       {"prompts", "demos"},
       "messages -> demos when the conversations end with an assistant "
       "message, else prompts"},
      {{"prompt", "chosen", "rejected"},
       {},
       {"pairs"},
       "prompt, chosen, rejected -> pairs"},
      {{"chosen", "rejected"},
       {},
       {"pairs"},
       "chosen, rejected (conversations) -> pairs"},
      {{"prompt", "response"}, {}, {"demos"}, "prompt, response -> demos"},
      {{"prompt", "completion", "label"},
       {},
       {"labeled"},
       "prompt, completion, label -> labeled"},
  };
  return shapes;
}

const JsonlShape *matchJsonlShape(const std::set<std::string> &roles) {
  for (const JsonlShape &shape : jsonlShapes()) {
    bool fits = std::all_of(
        shape.needed.begin(), shape.needed.end(),
        [&](const std::string &role) { return roles.count(role) != 0; });
    for (const std::string &role : roles)
      fits = fits && shape.allows(role);
    if (fits)
      return &shape;
  }
  return nullptr;
}

const std::vector<std::string> &jsonlRoles() {
  static const std::vector<std::string> roles = {
      "prompt",   "answer",   "messages",   "chosen",
      "rejected", "response", "completion", "label"};
  return roles;
}

std::string jsonlShapesHint() {
  std::string out = "the combinations are ";
  const std::vector<JsonlShape> &shapes = jsonlShapes();
  for (size_t i = 0; i < shapes.size(); ++i)
    out += (i ? "; " : "") + shapes[i].description;
  return out;
}

} // namespace rlg::data
