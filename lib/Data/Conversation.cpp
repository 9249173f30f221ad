// Conversations in JSON records: lists of {"role": ..., "content": ...}.
#include "Conversation.h"

#include "FieldPath.h"

#include "rlg/Support/TextDistance.h"

#include <algorithm>

namespace rlg::data {

namespace {
const char *kMessageHint =
    "each message is an object such as {\"role\": \"user\", \"content\": "
    "\"...\"}";

bool fail(RecordProblem &problem, const std::string &role,
          const std::string &path, std::string message, std::string hint) {
  problem.role = role;
  problem.field = path;
  problem.message = std::move(message);
  problem.hint = std::move(hint);
  return false;
}
} // namespace

bool readConversation(const nlohmann::json &value, const std::string &path,
                      const std::string &role, std::vector<Message> &out,
                      RecordProblem &problem) {
  if (!value.is_array())
    return fail(problem, role, path,
                "field \"" + path + "\" is " + jsonTypeName(value) +
                    ", not a list of messages",
                kMessageHint);
  if (value.empty())
    return fail(problem, role, path,
                "field \"" + path + "\" is an empty list of messages",
                "a conversation needs at least one message");
  static const std::vector<std::string> roles = {"system", "user", "assistant"};
  out.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    const nlohmann::json &item = value[i];
    std::string at = path + "." + std::to_string(i);
    if (!item.is_object())
      return fail(problem, role, at,
                  "field \"" + at + "\" is " + jsonTypeName(item) +
                      ", not a message",
                  kMessageHint);
    Message message;
    for (const char *key : {"role", "content"}) {
      auto it = item.find(key);
      std::string keyPath = at + "." + key;
      if (it == item.end())
        return fail(problem, role, keyPath,
                    "message \"" + at + "\" has no \"" + key + "\"",
                    kMessageHint);
      if (!it->is_string())
        return fail(problem, role, keyPath,
                    "field \"" + keyPath + "\" is " + jsonTypeName(*it) +
                        ", not a string",
                    std::string(key) == "content"
                        ? "contents are text; lists of parts (images, tool "
                          "calls) are not supported"
                        : "roles are \"system\", \"user\" and \"assistant\"");
      (std::string(key) == "role" ? message.role : message.content) =
          it->get<std::string>();
    }
    if (std::find(roles.begin(), roles.end(), message.role) == roles.end()) {
      std::string hint = didYouMean(message.role, roles);
      return fail(problem, role, at + ".role",
                  "field \"" + at + ".role\" is \"" + message.role +
                      "\", not \"system\", \"user\" or \"assistant\"",
                  hint.empty() ? "a conversation has only these three roles"
                               : hint);
    }
    out.push_back(std::move(message));
  }
  return true;
}

} // namespace rlg::data
