// The schedule reader and validator survive any input: the example truncated
// at every byte, with bytes flipped, and with values swapped for hostile ones.
#include "ScheduleTestSupport.h"

#include <random>

using namespace rlg::schedule;
using namespace rlg::schedule::test;

namespace {

/// Reads `text`; when that succeeds, validates. Both must agree with the
/// errors they report. Returns whether the read succeeded.
bool readAndValidate(const std::string &text) {
  Schedule schedule;
  std::vector<ScheduleError> errors;
  bool read = readScheduleJson(text, schedule, errors);
  EXPECT_EQ(read, errors.empty());
  if (!read)
    return false;
  bool valid = validateSchedule(schedule, errors);
  EXPECT_EQ(valid, errors.empty());
  for (const ScheduleError &error : errors)
    EXPECT_FALSE(error.message.empty());
  writeScheduleJson(schedule);
  return true;
}

TEST(ScheduleFuzz, EveryTruncationIsAnError) {
  std::string text = exampleText();
  ASSERT_GT(text.size(), 1000u);
  // The text ends with "}\n": every shorter prefix but "...}" is cut off.
  for (size_t length = 0; length + 1 < text.size(); ++length) {
    Schedule schedule;
    std::vector<ScheduleError> errors;
    ASSERT_FALSE(readScheduleJson(text.substr(0, length), schedule, errors))
        << "prefix of " << length << " bytes";
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message.rfind("invalid JSON at byte ", 0), 0u);
  }
  EXPECT_TRUE(readAndValidate(text));
}

TEST(ScheduleFuzz, FlippedBytesNeverCrash) {
  std::string text = exampleText();
  std::mt19937 random(1234);
  size_t cases = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    for (unsigned char mask : {0x01, 0x20, 0x80}) {
      std::string mutated = text;
      mutated[at] = static_cast<char>(mutated[at] ^ mask);
      readAndValidate(mutated);
      ++cases;
    }
  }
  for (int i = 0; i < 3000; ++i) {
    std::string mutated = text;
    int flips = 1 + static_cast<int>(random() % 8);
    for (int f = 0; f < flips; ++f)
      mutated[random() % mutated.size()] = static_cast<char>(random() % 256);
    readAndValidate(mutated);
    ++cases;
  }
  EXPECT_GT(cases, 25000u);
}

/// Replaces each scalar value of the example, one at a time, with each of a
/// few values of the wrong type or range: the result is JSON, so these reach
/// the field checks and the validator.
TEST(ScheduleFuzz, HostileValuesNeverCrash) {
  const std::vector<std::string> hostile = {"-1",
                                            "0",
                                            "9223372036854775807",
                                            "-9223372036854775808",
                                            "99999999999999999999",
                                            "1e308",
                                            "-0.5",
                                            "\"\"",
                                            "\"m0\"",
                                            "\"grpo\"",
                                            "\"actor\"",
                                            "null",
                                            "true",
                                            "[]",
                                            "{}",
                                            "[\"ro\", \"ro\"]",
                                            "{\"a\": [1, {}]}"};
  std::string text = exampleText();
  size_t cases = 0, readable = 0;
  size_t lineStart = 0;
  while (lineStart < text.size()) {
    size_t lineEnd = text.find('\n', lineStart);
    std::string line = text.substr(lineStart, lineEnd - lineStart);
    size_t colon = line.find("\": ");
    size_t valueStart =
        colon == std::string::npos ? line.find_first_not_of(' ') : colon + 3;
    size_t valueEnd = line.size() - (line.back() == ',' ? 1 : 0);
    bool scalar =
        valueStart < valueEnd &&
        std::string("[{]}").find(line[valueStart]) == std::string::npos;
    for (size_t i = 0; scalar && i < hostile.size(); ++i) {
      std::string mutated = text;
      mutated.replace(lineStart + valueStart, valueEnd - valueStart,
                      hostile[i]);
      readable += readAndValidate(mutated);
      ++cases;
    }
    lineStart = lineEnd + 1;
  }
  EXPECT_GT(cases, 3000u);
  EXPECT_GT(readable, 100u);
}

} // namespace
