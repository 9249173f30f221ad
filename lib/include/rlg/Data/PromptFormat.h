// The plain-text prompt format of conversations, without a chat template.
#pragma once

#include <string>
#include <vector>

namespace rlg::data {

/// One message of a conversation; the role is "system", "user" or
/// "assistant".
struct Message {
  std::string role;
  std::string content;
};

/// "System: ...", "User: ..." and "Assistant: ..." lines (one per message,
/// the content as is), joined by "\n\n", then "\n\nAssistant:": the text a
/// model continues with the next assistant message. A single user message
/// "What is 2+2?" gives "User: What is 2+2?\n\nAssistant:".
std::string conversationPrompt(const std::vector<Message> &messages);

/// "System", "User" or "Assistant": the label of a role in the format.
std::string roleLabel(const std::string &role);

} // namespace rlg::data
