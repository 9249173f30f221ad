// JSONL data files: each shape, field paths, the prompt format, reads by
// offset over a large file, and each bad record with its file and line.
#include "rlg/Data/JsonlRecord.h"
#include "rlg/Data/JsonlShape.h"
#include "rlg/Data/PromptFormat.h"
#include "rlg/Runtime/Data/JsonlExamples.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

using namespace rlg::runtime;
namespace fs = std::filesystem;
using rlg::data::JsonlFields;

namespace {

class JsonlDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern =
        (fs::temp_directory_path() / "rlg-jsonl-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Writes `text` as is (no line end added) and returns its path.
  std::string write(const std::string &text,
                    const std::string &name = "data.jsonl") {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  /// Every example of a file of `kind`.
  std::vector<Example> readAll(const std::string &text, const std::string &kind,
                               const JsonlFields &fields) {
    JsonlExamples source(write(text), kind, fields);
    return source.range(0, source.size());
  }

  /// The RunError opening a file of `kind` gives, message and hint.
  std::pair<std::string, std::string> errorOf(const std::string &text,
                                              const std::string &kind,
                                              const JsonlFields &fields) {
    std::string path = write(text);
    try {
      JsonlExamples source(path, kind, fields);
    } catch (const RunError &error) {
      std::string message = error.what();
      EXPECT_EQ(message.rfind(path, 0), 0u) << message;
      return {message.substr(path.size()), error.hint};
    }
    ADD_FAILURE() << "no error for: " << text;
    return {};
  }

  fs::path dir_;
};

const JsonlFields kPromptAnswer = {{"prompt", "prompt"}, {"answer", "answer"}};
const JsonlFields kMessages = {{"messages", "messages"}};
const JsonlFields kChatPairs = {{"chosen", "chosen"}, {"rejected", "rejected"}};

} // namespace

// ---- The shapes -------------------------------------------------------------

TEST_F(JsonlDataTest, PromptsWithAnswers) {
  auto examples = readAll("{\"q\": \"what is 1+1?\", \"a\": \"2\"}\n"
                          "{\"q\": \"what is 2+3?\", \"a\": 5}\n",
                          "prompts", {{"prompt", "q"}, {"answer", "a"}});
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].prompt, "what is 1+1?");
  EXPECT_EQ(examples[0].answer, "2");
  EXPECT_EQ(examples[1].answer, "5"); // a number, as JSON writes it
}

TEST_F(JsonlDataTest, PromptsWithoutAnswers) {
  auto examples = readAll("{\"prompt\": \"say hi\", \"answer\": 1}\n",
                          "prompts", {{"prompt", "prompt"}});
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt, "say hi");
  EXPECT_EQ(examples[0].answer, "");
}

TEST_F(JsonlDataTest, PairsOfStrings) {
  auto examples =
      readAll("{\"p\": \"2+2\", \"c\": \"4\", \"r\": \"5\"}\n", "pairs",
              {{"prompt", "p"}, {"chosen", "c"}, {"rejected", "r"}});
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt, "2+2");
  EXPECT_EQ(examples[0].chosen, "4");
  EXPECT_EQ(examples[0].rejected, "5");
}

TEST_F(JsonlDataTest, DemosAndLabeled) {
  auto demos = readAll("{\"prompt\": \"a\", \"response\": \"b\"}\n", "demos",
                       {{"prompt", "prompt"}, {"response", "response"}});
  ASSERT_EQ(demos.size(), 1u);
  EXPECT_EQ(demos[0].response, "b");
  auto labeled = readAll(
      "{\"prompt\": \"a\", \"completion\": \"b\", \"label\": true}\n"
      "{\"prompt\": \"c\", \"completion\": \"d\", \"label\": false}\n",
      "labeled",
      {{"prompt", "prompt"}, {"completion", "completion"}, {"label", "label"}});
  ASSERT_EQ(labeled.size(), 2u);
  EXPECT_EQ(labeled[0].response, "b");
  EXPECT_TRUE(labeled[0].label);
  EXPECT_FALSE(labeled[1].label);
}

TEST_F(JsonlDataTest, MessagesEndingWithAnAssistantMessageAreDemos) {
  std::string line =
      "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
      "{\"role\": \"user\", \"content\": \"What is 2+2?\"}, "
      "{\"role\": \"assistant\", \"content\": \"4\"}]}\n";
  rlg::data::RecordProblem problem;
  EXPECT_EQ(rlg::data::jsonlRecordKind(line, kMessages, problem), "demos");
  auto examples = readAll(line, "demos", kMessages);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt,
            "System: Be brief.\n\nUser: What is 2+2?\n\nAssistant:");
  EXPECT_EQ(examples[0].response, "4");
}

TEST_F(JsonlDataTest, MessagesEndingWithAUserMessageArePrompts) {
  std::string line = "{\"messages\": [{\"role\": \"user\", \"content\": "
                     "\"What is 2+2?\"}], \"answer\": \"4\"}\n";
  rlg::data::RecordProblem problem;
  EXPECT_EQ(rlg::data::jsonlRecordKind(line, kMessages, problem), "prompts");
  auto examples = readAll(line, "prompts", kMessages);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt, "User: What is 2+2?\n\nAssistant:");
  EXPECT_EQ(examples[0].answer, "");
}

TEST_F(JsonlDataTest, MessagesWithAnAnswerDropTheWorkedSolution) {
  auto examples = readAll(
      "{\"messages\": [{\"role\": \"user\", \"content\": \"3*3?\"}, "
      "{\"role\": \"assistant\", \"content\": \"3*3 = 9\"}], \"gold\": 9}\n"
      "{\"messages\": [{\"role\": \"user\", \"content\": \"1+1?\"}], "
      "\"gold\": \"2\"}\n",
      "prompts", {{"messages", "messages"}, {"answer", "gold"}});
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].prompt, "User: 3*3?\n\nAssistant:");
  EXPECT_EQ(examples[0].answer, "9");
  EXPECT_EQ(examples[1].prompt, "User: 1+1?\n\nAssistant:");
  EXPECT_EQ(examples[1].answer, "2");
}

TEST_F(JsonlDataTest, ChatPairsShareTheirPrompt) {
  // The UltraFeedback shape: whole conversations, no prompt field.
  auto examples =
      readAll("{\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
              "{\"role\": \"assistant\", \"content\": \"Hello!\"}], "
              "\"rejected\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
              "{\"role\": \"assistant\", \"content\": \"Go away.\"}]}\n",
              "pairs", kChatPairs);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt, "User: Hi\n\nAssistant:");
  EXPECT_EQ(examples[0].chosen, "Hello!");
  EXPECT_EQ(examples[0].rejected, "Go away.");
}

TEST_F(JsonlDataTest, PairsWithAPromptTakeTheFinalAssistantMessages) {
  auto examples = readAll(
      "{\"prompt\": \"Hi\", "
      "\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
      "{\"role\": \"assistant\", \"content\": \"Hello!\"}], "
      "\"rejected\": [{\"role\": \"assistant\", \"content\": \"No.\"}]}\n"
      "{\"prompt\": [{\"role\": \"user\", \"content\": \"Yo\"}], "
      "\"chosen\": \"Hey.\", \"rejected\": \"...\"}\n",
      "pairs",
      {{"prompt", "prompt"}, {"chosen", "chosen"}, {"rejected", "rejected"}});
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].prompt, "Hi"); // a string prompt is used as is
  EXPECT_EQ(examples[0].chosen, "Hello!");
  EXPECT_EQ(examples[0].rejected, "No.");
  EXPECT_EQ(examples[1].prompt, "User: Yo\n\nAssistant:");
  EXPECT_EQ(examples[1].chosen, "Hey.");
}

TEST_F(JsonlDataTest, FieldPathsStepIntoObjectsAndLists) {
  auto examples = readAll(
      "{\"meta\": {\"question\": \"q1\", \"answers\": [\"a1\", \"b1\"]}, "
      "\"a.b\": \"dotted\"}\n",
      "prompts", {{"prompt", "meta.question"}, {"answer", "meta.answers.1"}});
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].prompt, "q1");
  EXPECT_EQ(examples[0].answer, "b1");
  // A name that itself holds a dot is found first.
  auto dotted = readAll("{\"a.b\": \"dotted\", \"a\": {\"b\": \"nested\"}}\n",
                        "prompts", {{"prompt", "a.b"}});
  EXPECT_EQ(dotted[0].prompt, "dotted");
  // ShareGPT-style conversations through list indices.
  auto shared =
      readAll("{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}, "
              "{\"from\": \"gpt\", \"value\": \"hello\"}]}\n",
              "demos",
              {{"prompt", "conversations.0.value"},
               {"response", "conversations.1.value"}});
  EXPECT_EQ(shared[0].prompt, "hi");
  EXPECT_EQ(shared[0].response, "hello");
}

TEST_F(JsonlDataTest, ThePromptFormat) {
  using rlg::data::conversationPrompt;
  EXPECT_EQ(conversationPrompt({{"user", "What is 2+2?"}}),
            "User: What is 2+2?\n\nAssistant:");
  EXPECT_EQ(conversationPrompt({{"system", "S"},
                                {"user", "U1"},
                                {"assistant", "A1"},
                                {"user", "U2"}}),
            "System: S\n\nUser: U1\n\nAssistant: A1\n\nUser: U2\n\nAssistant:");
}

TEST_F(JsonlDataTest, ShapesOfTheArguments) {
  using rlg::data::matchJsonlShape;
  auto kinds = [](std::set<std::string> roles) {
    const rlg::data::JsonlShape *shape = matchJsonlShape(roles);
    std::string out;
    for (const std::string &kind :
         shape ? shape->kinds : std::vector<std::string>{"none"})
      out += (out.empty() ? "" : "|") + kind;
    return out;
  };
  EXPECT_EQ(kinds({"prompt"}), "prompts");
  EXPECT_EQ(kinds({"prompt", "answer"}), "prompts");
  EXPECT_EQ(kinds({"messages"}), "prompts|demos");
  EXPECT_EQ(kinds({"messages", "answer"}), "prompts");
  EXPECT_EQ(kinds({"chosen", "rejected"}), "pairs");
  EXPECT_EQ(kinds({"prompt", "chosen", "rejected"}), "pairs");
  EXPECT_EQ(kinds({"prompt", "response"}), "demos");
  EXPECT_EQ(kinds({"prompt", "completion", "label"}), "labeled");
  EXPECT_EQ(kinds({"messages", "prompt"}), "none");
  EXPECT_EQ(kinds({"chosen"}), "none");
  EXPECT_EQ(kinds({"response"}), "none");
  EXPECT_EQ(kinds({"prompt", "chosen", "rejected", "answer"}), "none");
}

// ---- Lines ------------------------------------------------------------------

TEST_F(JsonlDataTest, AcceptsAByteOrderMarkCrlfAndNoFinalLineEnd) {
  auto examples = readAll("\xEF\xBB\xBF{\"prompt\": \"a\"}\r\n"
                          "{\"prompt\": \"b\"}\r\n"
                          "{\"prompt\": \"c\"}",
                          "prompts", {{"prompt", "prompt"}});
  ASSERT_EQ(examples.size(), 3u);
  EXPECT_EQ(examples[0].prompt, "a");
  EXPECT_EQ(examples[1].prompt, "b");
  EXPECT_EQ(examples[2].prompt, "c");
}

TEST_F(JsonlDataTest, SkipsBlankLinesButCountsThem) {
  auto examples =
      readAll("\n{\"prompt\": \"a\"}\n  \t\n\n{\"prompt\": \"b\"}\n", "prompts",
              {{"prompt", "prompt"}});
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[1].prompt, "b");
  auto [message, hint] = errorOf("\n{\"prompt\": \"a\"}\n\n\n{\"prompt\": 3}\n",
                                 "prompts", {{"prompt", "prompt"}});
  EXPECT_EQ(message, ":5: field \"prompt\" is a number, not a string or a "
                     "list of messages");
}

// ---- Streaming --------------------------------------------------------------

TEST_F(JsonlDataTest, LargeFilesKeepOnlyOffsets) {
  const int64_t count = 200000;
  std::string path = (dir_ / "large.jsonl").string();
  {
    std::ofstream out(path, std::ios::binary);
    for (int64_t i = 0; i < count; ++i)
      out << "{\"prompt\": \"question number " << i
          << " of the file\", \"answer\": \"" << i * 7 << "\"}\n";
  }
  JsonlExamples source(path, "prompts", kPromptAnswer);
  ASSERT_EQ(source.size(), count);
  // The index is 8 bytes a record: a fraction of the file's 10 MB.
  EXPECT_EQ(source.indexBytes(), count * 8);
  EXPECT_LT(source.indexBytes() * 5, static_cast<int64_t>(fs::file_size(path)));
  for (int64_t i : {int64_t(0), int64_t(1), int64_t(99999), count - 1}) {
    Example example = source.at(i);
    EXPECT_EQ(example.prompt,
              "question number " + std::to_string(i) + " of the file");
    EXPECT_EQ(example.answer, std::to_string(i * 7));
  }
  std::vector<Example> batch = source.fetch({123456, 5, 123456, 77777});
  ASSERT_EQ(batch.size(), 4u);
  EXPECT_EQ(batch[0].answer, std::to_string(123456 * 7));
  EXPECT_EQ(batch[1].answer, "35");
  EXPECT_EQ(batch[2], batch[0]);
  EXPECT_EQ(batch[3].answer, std::to_string(77777 * 7));
  EXPECT_THROW(source.at(count), std::out_of_range);
  EXPECT_THROW(source.at(-1), std::out_of_range);
}

TEST_F(JsonlDataTest, ReadsByOffsetAfterAByteOrderMark) {
  JsonlExamples source(write("\xEF\xBB\xBF{\"prompt\": \"first\"}\r\n"
                             "{\"prompt\": \"second\"}"),
                       "prompts", {{"prompt", "prompt"}});
  EXPECT_EQ(source.at(1).prompt, "second");
  EXPECT_EQ(source.at(0).prompt, "first");
}

TEST_F(JsonlDataTest, AFileChangedAfterOpeningIsReported) {
  std::string path = write("{\"prompt\": \"a\"}\n{\"prompt\": \"b\"}\n");
  JsonlExamples source(path, "prompts", {{"prompt", "prompt"}});
  std::ofstream(path, std::ios::binary) << "{\"prompt\": 1}\n";
  try {
    source.at(0);
    ADD_FAILURE() << "no error";
  } catch (const RunError &error) {
    EXPECT_NE(std::string(error.what())
                  .find("the record at byte 0 no longer "
                        "reads"),
              std::string::npos)
        << error.what();
    EXPECT_EQ(error.hint, "the data file changed after the run started");
  }
  EXPECT_THROW(source.at(1), RunError);
}

TEST_F(JsonlDataTest, TasksStayInMemory) {
  Example a, b;
  a.prompt = "1+1=";
  a.answer = "2";
  b.prompt = "2+2=";
  InMemoryExamples source({a, b});
  EXPECT_EQ(source.size(), 2);
  EXPECT_EQ(source.at(1), b);
  EXPECT_EQ(source.range(0, 2)[0], a);
  EXPECT_THROW(source.fetch({2}), std::out_of_range);
}

// ---- Errors -----------------------------------------------------------------

TEST_F(JsonlDataTest, ALineThatIsNotJson) {
  auto [message, hint] = errorOf("{\"prompt\": \"a\", \"answer\": "
                                 "\"1\"}\n{\"prompt\": \"b\", \"answer\": }\n",
                                 "prompts", kPromptAnswer);
  EXPECT_EQ(message, ":2: not a JSON object: syntax error while parsing "
                     "value - unexpected '}'; expected '[', '{', or a "
                     "literal (at byte 27 of the line)");
  EXPECT_EQ(hint, "each line of a JSONL file holds one {...} record");
}

TEST_F(JsonlDataTest, ALineThatIsJsonButNotAnObject) {
  auto [message, hint] =
      errorOf("[\"a\", \"b\"]\n", "prompts", {{"prompt", "prompt"}});
  EXPECT_EQ(message, ":1: not a JSON object: the line holds a list");
  EXPECT_EQ(hint, "each line of a JSONL file holds one {...} record");
}

TEST_F(JsonlDataTest, AMissingField) {
  auto [message, hint] =
      errorOf("{\"prompt\": \"a\", \"answer\": \"1\"}\n{\"prompt\": \"b\", "
              "\"anwser\": \"2\"}\n",
              "prompts", kPromptAnswer);
  EXPECT_EQ(message, ":2: the record has no field \"answer\"");
  EXPECT_EQ(hint, "did you mean 'anwser'?");
}

TEST_F(JsonlDataTest, AMissingStepOfAPath) {
  auto [message, hint] =
      errorOf("{\"meta\": {\"q\": \"a\", \"x\": 1}, \"list\": [\"only\"]}\n",
              "prompts", {{"prompt", "meta.question"}});
  EXPECT_EQ(message,
            ":1: the record has no field \"meta.question\" (\"meta\" has no "
            "\"question\")");
  EXPECT_EQ(hint, "the fields of \"meta\" are 'q' and 'x'");
  auto [index, indexHint] =
      errorOf("{\"list\": [\"only\"]}\n", "prompts", {{"prompt", "list.1"}});
  EXPECT_EQ(index,
            ":1: the record has no field \"list.1\" (\"list\" has 1 item)");
}

TEST_F(JsonlDataTest, AFieldOfTheWrongType) {
  auto [message, hint] =
      errorOf("{\"meta\": {\"q\": 42}}\n", "prompts", {{"prompt", "meta.q"}});
  EXPECT_EQ(message, ":1: field \"meta.q\" is a number, not a string or a "
                     "list of messages");
  EXPECT_EQ(hint, "the program reads \"meta.q\" as the prompt; name another "
                  "field with prompt = \"...\"");
  auto [label, labelHint] =
      errorOf("{\"p\": \"a\", \"c\": \"b\", \"l\": \"yes\"}\n", "labeled",
              {{"prompt", "p"}, {"completion", "c"}, {"label", "l"}});
  EXPECT_EQ(label, ":1: field \"l\" is a string, not true or false");
  auto [response, responseHint] =
      errorOf("{\"p\": \"a\", \"r\": null}\n", "demos",
              {{"prompt", "p"}, {"response", "r"}});
  EXPECT_EQ(response, ":1: field \"r\" is null, not a string");
}

TEST_F(JsonlDataTest, AnEmptyMessageList) {
  auto [message, hint] = errorOf("{\"messages\": []}\n", "prompts", kMessages);
  EXPECT_EQ(message, ":1: field \"messages\" is an empty list of messages");
  EXPECT_EQ(hint, "a conversation needs at least one message");
}

TEST_F(JsonlDataTest, AMessageWithAnUnknownRole) {
  auto [message, hint] =
      errorOf("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, "
              "{\"role\": \"asistant\", \"content\": \"yo\"}]}\n",
              "demos", kMessages);
  EXPECT_EQ(message, ":1: field \"messages.1.role\" is \"asistant\", not "
                     "\"system\", \"user\" or \"assistant\"");
  EXPECT_EQ(hint, "did you mean 'assistant'?");
}

TEST_F(JsonlDataTest, AMessageWithContentThatIsNotAString) {
  auto [message, hint] =
      errorOf("{\"messages\": [{\"role\": \"user\", \"content\": "
              "[{\"type\": \"text\", \"text\": \"hi\"}]}]}\n",
              "prompts", kMessages);
  EXPECT_EQ(message,
            ":1: field \"messages.0.content\" is a list, not a string");
  EXPECT_EQ(hint, "contents are text; lists of parts (images, tool calls) "
                  "are not supported");
  auto [role, roleHint] = errorOf("{\"messages\": [{\"content\": \"hi\"}]}\n",
                                  "prompts", kMessages);
  EXPECT_EQ(role, ":1: message \"messages.0\" has no \"role\"");
  auto [item, itemHint] =
      errorOf("{\"messages\": [\"hi\"]}\n", "prompts", kMessages);
  EXPECT_EQ(item, ":1: field \"messages.0\" is a string, not a message");
}

TEST_F(JsonlDataTest, ConversationsMustAgreeWithTheKind) {
  std::string demo = "{\"messages\": [{\"role\": \"user\", \"content\": "
                     "\"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}";
  std::string prompt =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}";
  auto [message, hint] =
      errorOf(demo + "\n" + prompt + "\n", "demos", kMessages);
  EXPECT_EQ(message, ":2: field \"messages\" ends with a user message, but "
                     "the source holds demos");
  auto [asPrompts, promptsHint] =
      errorOf(prompt + "\n" + demo + "\n", "prompts", kMessages);
  EXPECT_EQ(asPrompts, ":2: field \"messages\" ends with an assistant "
                       "message, but the source holds prompts");
  EXPECT_NE(promptsHint.find("the first record decides"), std::string::npos);
}

TEST_F(JsonlDataTest, APairWithDifferentPrompts) {
  auto [message, hint] =
      errorOf("{\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
              "{\"role\": \"assistant\", \"content\": \"Hello!\"}], "
              "\"rejected\": [{\"role\": \"user\", \"content\": \"Hey\"}, "
              "{\"role\": \"assistant\", \"content\": \"Go away.\"}]}\n",
              "pairs", kChatPairs);
  EXPECT_EQ(message, ":1: \"chosen\" and \"rejected\" have different "
                     "prompts: message 0 differs");
  EXPECT_NE(hint.find("the same messages before"), std::string::npos);
  auto [text, textHint] =
      errorOf("{\"chosen\": \"Hello!\", \"rejected\": \"Go away.\"}\n", "pairs",
              kChatPairs);
  EXPECT_EQ(text, ":1: field \"chosen\" is a string, not a list of messages");
  EXPECT_NE(textHint.find("give prompt = FIELD"), std::string::npos);
}

TEST_F(JsonlDataTest, AnEmptyFile) {
  auto [message, hint] = errorOf("", "prompts", {{"prompt", "prompt"}});
  EXPECT_EQ(message, ": the data file has no records");
  auto [blank, blankHint] =
      errorOf("\n  \n\r\n", "prompts", {{"prompt", "prompt"}});
  EXPECT_EQ(blank, ": the data file has no records");
}

TEST_F(JsonlDataTest, AFileThatCannotBeOpened) {
  std::string path = (dir_ / "missing.jsonl").string();
  try {
    JsonlExamples source(path, "prompts", {{"prompt", "prompt"}});
    ADD_FAILURE() << "no error";
  } catch (const RunError &error) {
    EXPECT_EQ(std::string(error.what()), path + ": cannot open the data file");
  }
  try {
    JsonlExamples source(dir_.string(), "prompts", {{"prompt", "prompt"}});
    ADD_FAILURE() << "no error";
  } catch (const RunError &error) {
    EXPECT_EQ(std::string(error.what()),
              dir_.string() + ": cannot open the data file: it is a folder");
  }
}
