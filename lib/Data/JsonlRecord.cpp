// One line of a JSONL data file read as an example of its source's kind.
#include "rlg/Data/JsonlRecord.h"

#include "Conversation.h"
#include "FieldPath.h"

#include <nlohmann/json.hpp>

namespace rlg::data {

std::string_view jsonlRecordText(std::string_view line, bool first) {
  if (first && line.substr(0, 3) == "\xEF\xBB\xBF")
    line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

bool isBlankJsonlLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

namespace {

const char *kLineHint = "each line of a JSONL file holds one {...} record";
const char *kAgreeHint =
    "the first record decides: conversations that end with an assistant "
    "message make demos, others prompts, and every record must agree";

/// The parser's own words, without its exception prefix and position.
std::string parserMessage(const nlohmann::json::parse_error &error) {
  std::string what = error.what();
  size_t at = what.find("parse error");
  size_t colon = at == std::string::npos ? at : what.find(": ", at);
  std::string text = colon == std::string::npos ? what : what.substr(colon + 2);
  if (text.size() > 200)
    text = text.substr(0, 200) + "...";
  return text;
}

bool parseRecord(std::string_view text, nlohmann::json &record,
                 RecordProblem &problem) {
  try {
    record = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error &error) {
    problem.message = "not a JSON object: " + parserMessage(error) +
                      " (at byte " + std::to_string(error.byte) +
                      " of the line)";
    problem.hint = kLineHint;
    return false;
  }
  if (!record.is_object()) {
    problem.message =
        "not a JSON object: the line holds " + jsonTypeName(record);
    problem.hint = kLineHint;
    return false;
  }
  return true;
}

/// Reads the fields of one record for one kind.
class RecordReader {
public:
  RecordReader(const nlohmann::json &record, const JsonlFields &fields,
               RecordProblem &problem)
      : record_(record), fields_(fields), problem_(problem) {}

  bool has(const std::string &role) const { return fields_.count(role) != 0; }

  /// The kind the record's conversation gives ("" when it is bad).
  std::string conversationKind() {
    std::vector<Message> messages;
    if (!conversation("messages", messages))
      return "";
    return endsWithAssistant(messages) ? "demos" : "prompts";
  }

  bool read(const std::string &kind, Example &out) {
    if (kind == "prompts")
      return has("messages") ? messagePrompt(out) : plainPrompt(out);
    if (kind == "demos")
      return has("messages")
                 ? messageDemo(out)
                 : prompt(out.prompt) && text("response", out.response);
    if (kind == "pairs")
      return has("prompt")
                 ? prompt(out.prompt) && response("chosen", out.chosen) &&
                       response("rejected", out.rejected)
                 : conversationPair(out);
    if (kind == "labeled")
      return prompt(out.prompt) && text("completion", out.response) &&
             label(out.label);
    return fail("", "", "unknown data kind \"" + kind + "\"",
                "the kinds are prompts, pairs, demos and labeled");
  }

private:
  std::string pathOf(const std::string &role) const {
    auto it = fields_.find(role);
    return it == fields_.end() ? role : it->second;
  }

  bool fail(const std::string &role, const std::string &path,
            std::string message, std::string hint = {}) {
    problem_.role = role;
    problem_.field = path;
    problem_.message = std::move(message);
    problem_.hint = std::move(hint);
    return false;
  }

  /// The conversation in `role`'s field lacks a final assistant message.
  bool noFinalAssistant(const std::string &role, std::string hint) {
    return fail(role, pathOf(role),
                "field \"" + pathOf(role) +
                    "\" does not end with an assistant message",
                std::move(hint));
  }

  /// The conversation in `role`'s field is only its assistant message.
  bool nothingBeforeAssistant(const std::string &role, std::string hint) {
    return fail(role, pathOf(role),
                "field \"" + pathOf(role) +
                    "\" has no message before its assistant message",
                std::move(hint));
  }

  bool wrongType(const std::string &role, const nlohmann::json &value,
                 const std::string &wanted, std::string hint = {}) {
    if (hint.empty())
      hint = "the program reads \"" + pathOf(role) + "\" as the " + role +
             "; name another field with " + role + " = \"...\"";
    return fail(role, pathOf(role),
                "field \"" + pathOf(role) + "\" is " + jsonTypeName(value) +
                    ", not " + wanted,
                std::move(hint));
  }

  const nlohmann::json *field(const std::string &role) {
    const nlohmann::json *value = findField(record_, pathOf(role), problem_);
    if (!value)
      problem_.role = role;
    return value;
  }

  bool text(const std::string &role, std::string &out) {
    const nlohmann::json *value = field(role);
    if (!value)
      return false;
    if (!value->is_string())
      return wrongType(role, *value, "a string");
    out = value->get<std::string>();
    return true;
  }

  bool conversation(const std::string &role, std::vector<Message> &out) {
    const nlohmann::json *value = field(role);
    return value && readConversation(*value, pathOf(role), role, out, problem_);
  }

  /// The prompt role: a string as is, or a conversation in the format.
  bool prompt(std::string &out) {
    const nlohmann::json *value = field("prompt");
    if (!value)
      return false;
    if (value->is_string()) {
      out = value->get<std::string>();
      return true;
    }
    if (!value->is_array())
      return wrongType("prompt", *value, "a string or a list of messages");
    std::vector<Message> messages;
    if (!readConversation(*value, pathOf("prompt"), "prompt", messages,
                          problem_))
      return false;
    out = conversationPrompt(messages);
    return true;
  }

  /// An exact answer: a string, or a number as JSON writes it.
  bool answer(std::string &out) {
    const nlohmann::json *value = field("answer");
    if (!value)
      return false;
    if (value->is_number()) {
      out = value->dump();
      return true;
    }
    if (!value->is_string())
      return wrongType("answer", *value, "a string or a number");
    out = value->get<std::string>();
    return true;
  }

  /// A response of a pair: a string, or a conversation ending with the
  /// assistant message that is the response.
  bool response(const std::string &role, std::string &out) {
    const nlohmann::json *value = field(role);
    if (!value)
      return false;
    if (value->is_string()) {
      out = value->get<std::string>();
      return true;
    }
    if (!value->is_array())
      return wrongType(role, *value, "a string or a list of messages");
    std::vector<Message> messages;
    if (!readConversation(*value, pathOf(role), role, messages, problem_))
      return false;
    if (!endsWithAssistant(messages))
      return noFinalAssistant(role, "a response given as a conversation is "
                                    "its final assistant message");
    out = messages.back().content;
    return true;
  }

  bool label(bool &out) {
    const nlohmann::json *value = field("label");
    if (!value)
      return false;
    if (!value->is_boolean())
      return wrongType("label", *value, "true or false");
    out = value->get<bool>();
    return true;
  }

  bool plainPrompt(Example &out) {
    return prompt(out.prompt) && (!has("answer") || answer(out.answer));
  }

  bool messagePrompt(Example &out) {
    std::vector<Message> messages;
    if (!conversation("messages", messages))
      return false;
    if (endsWithAssistant(messages)) {
      if (!has("answer"))
        return fail("messages", pathOf("messages"),
                    "field \"" + pathOf("messages") +
                        "\" ends with an assistant message, but the source "
                        "holds prompts",
                    kAgreeHint);
      // With an exact answer, a final assistant message is a worked
      // solution the prompt leaves out.
      messages.pop_back();
      if (messages.empty())
        return nothingBeforeAssistant("messages",
                                      "a prompt needs at least one message");
    }
    out.prompt = conversationPrompt(messages);
    return !has("answer") || answer(out.answer);
  }

  bool messageDemo(Example &out) {
    std::vector<Message> messages;
    if (!conversation("messages", messages))
      return false;
    std::string path = pathOf("messages");
    if (!endsWithAssistant(messages))
      return fail("messages", path,
                  "field \"" + path + "\" ends with " +
                      (messages.back().role == "user" ? "a user" : "a system") +
                      " message, but the source holds demos",
                  kAgreeHint);
    if (messages.size() < 2)
      return nothingBeforeAssistant("messages",
                                    "a demo needs a prompt: at least one "
                                    "message before the response");
    out.response = messages.back().content;
    messages.pop_back();
    out.prompt = conversationPrompt(messages);
    return true;
  }

  /// chosen and rejected conversations sharing their start, the prompt.
  bool conversationPair(Example &out) {
    std::vector<Message> chosen, rejected;
    for (const char *role : {"chosen", "rejected"}) {
      const nlohmann::json *value = field(role);
      if (!value)
        return false;
      if (!value->is_array())
        return wrongType(role, *value, "a list of messages",
                         "without a prompt field, chosen and rejected are "
                         "conversations that share their start; give "
                         "prompt = FIELD for text responses");
      std::vector<Message> &messages =
          std::string(role) == "chosen" ? chosen : rejected;
      if (!readConversation(*value, pathOf(role), role, messages, problem_))
        return false;
      if (!endsWithAssistant(messages))
        return noFinalAssistant(role, "the response is the conversation's "
                                      "final assistant message");
      if (messages.size() < 2)
        return nothingBeforeAssistant(role, "without a prompt field, the "
                                            "messages before the response "
                                            "are the prompt");
    }
    const char *hint = "without a prompt field, chosen and rejected must "
                       "hold the same messages before their final "
                       "assistant messages";
    if (chosen.size() != rejected.size())
      return fail("rejected", pathOf("rejected"),
                  "\"" + pathOf("chosen") + "\" and \"" + pathOf("rejected") +
                      "\" have different prompts: " +
                      std::to_string(chosen.size() - 1) + " and " +
                      std::to_string(rejected.size() - 1) +
                      " messages before the response",
                  hint);
    for (size_t i = 0; i + 1 < chosen.size(); ++i)
      if (chosen[i].role != rejected[i].role ||
          chosen[i].content != rejected[i].content)
        return fail("rejected", pathOf("rejected"),
                    "\"" + pathOf("chosen") + "\" and \"" + pathOf("rejected") +
                        "\" have different prompts: message " +
                        std::to_string(i) + " differs",
                    hint);
    out.chosen = chosen.back().content;
    out.rejected = rejected.back().content;
    chosen.pop_back();
    out.prompt = conversationPrompt(chosen);
    return true;
  }

  const nlohmann::json &record_;
  const JsonlFields &fields_;
  RecordProblem &problem_;
};

} // namespace

bool readJsonlRecord(std::string_view text, const std::string &kind,
                     const JsonlFields &fields, Example &out,
                     RecordProblem &problem) {
  problem = RecordProblem{};
  nlohmann::json record;
  if (!parseRecord(text, record, problem))
    return false;
  out = Example{};
  return RecordReader(record, fields, problem).read(kind, out);
}

std::string jsonlRecordKind(std::string_view text, const JsonlFields &fields,
                            RecordProblem &problem) {
  problem = RecordProblem{};
  nlohmann::json record;
  if (!parseRecord(text, record, problem))
    return "";
  return RecordReader(record, fields, problem).conversationKind();
}

} // namespace rlg::data
