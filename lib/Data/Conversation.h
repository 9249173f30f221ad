// Conversations in JSON records: lists of {"role": ..., "content": ...}.
#pragma once

#include "rlg/Data/JsonlRecord.h"
#include "rlg/Data/PromptFormat.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rlg::data {

/// Reads `value`, the field `path` of role `role`, as a non-empty list of
/// messages with the roles "system", "user" or "assistant" and string
/// contents. Returns false with `problem` naming the path of what is wrong.
bool readConversation(const nlohmann::json &value, const std::string &path,
                      const std::string &role, std::vector<Message> &out,
                      RecordProblem &problem);

/// Whether the conversation ends with an assistant message.
inline bool endsWithAssistant(const std::vector<Message> &messages) {
  return !messages.empty() && messages.back().role == "assistant";
}

} // namespace rlg::data
