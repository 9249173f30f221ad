// The plain-text prompt format of conversations.
#include "rlg/Data/PromptFormat.h"

namespace rlg::data {

std::string roleLabel(const std::string &role) {
  if (role == "system")
    return "System";
  if (role == "user")
    return "User";
  return "Assistant";
}

std::string conversationPrompt(const std::vector<Message> &messages) {
  std::string out;
  for (const Message &message : messages) {
    out += roleLabel(message.role) + ": " + message.content;
    out += "\n\n";
  }
  return out + "Assistant:";
}

} // namespace rlg::data
