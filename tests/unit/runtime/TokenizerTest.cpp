// The character tokenizer: fixed ids, round trips, errors, vocabulary size.
#include "rlg/Runtime/Data/CharTokenizer.h"
#include "rlg/Spec/ModelPresets.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

using namespace rlg::runtime;

TEST(TokenizerTest, FixedIds) {
  CharTokenizer tokenizer;
  EXPECT_EQ(tokenizer.padId(), 0);
  EXPECT_EQ(tokenizer.bosId(), 1);
  EXPECT_EQ(tokenizer.eosId(), 2);
  EXPECT_EQ(tokenizer.vocabSize(), 64);
  EXPECT_EQ(tokenizer.encode(" 09+-*=az"),
            (std::vector<int64_t>{3, 4, 13, 14, 15, 16, 17, 18, 43}));
  EXPECT_EQ(tokenizer.encode("\n"), (std::vector<int64_t>{63}));
  EXPECT_EQ(tokenizer.encode("1", true, true), (std::vector<int64_t>{1, 5, 2}));
  EXPECT_EQ(tokenizer.encodePrompt("7="), (std::vector<int64_t>{1, 11, 17}));
}

TEST(TokenizerTest, EveryIdIsDistinctAndRoundTrips) {
  CharTokenizer tokenizer;
  std::set<int64_t> ids;
  std::string all;
  for (int c = 0; c < 256; ++c)
    if (tokenizer.contains(static_cast<char>(c)))
      all.push_back(static_cast<char>(c));
  EXPECT_EQ(all.size(), 61u);
  std::vector<int64_t> encoded = tokenizer.encode(all);
  ids.insert(encoded.begin(), encoded.end());
  EXPECT_EQ(ids.size(), 61u);
  EXPECT_EQ(*ids.begin(), 3);
  EXPECT_EQ(*ids.rbegin(), 63);
  EXPECT_EQ(tokenizer.decode(encoded), all);
  std::string text = "reverse abc=cba. (sort 321=123)";
  EXPECT_EQ(tokenizer.decode(tokenizer.encode(text)), text);
}

TEST(TokenizerTest, DecodeSkipsSpecialIdsAndStopsAtEos) {
  CharTokenizer tokenizer;
  std::vector<int64_t> ids = {0, 1, 12, 4, 2, 5, 0};
  EXPECT_EQ(tokenizer.decode(ids), "80");
  EXPECT_EQ(tokenizer.decode(ids, /*stopAtEos=*/false), "801");
  EXPECT_THROW(tokenizer.decode({64}), std::invalid_argument);
  EXPECT_THROW(tokenizer.decode({-1}), std::invalid_argument);
}

TEST(TokenizerTest, UnknownCharactersAreNamed) {
  CharTokenizer tokenizer;
  try {
    tokenizer.encode("12+X");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'X'"), std::string::npos) << message;
    EXPECT_NE(message.find("position 3"), std::string::npos) << message;
  }
  try {
    tokenizer.encode("a\tb");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("0x09"), std::string::npos)
        << e.what();
  }
}

TEST(TokenizerTest, FitsTheSmallPresets) {
  CharTokenizer tokenizer;
  EXPECT_NO_THROW(
      tokenizer.checkFitsVocab(rlg::findModelPreset("tiny")->vocab));
  EXPECT_NO_THROW(
      tokenizer.checkFitsVocab(rlg::findModelPreset("small")->vocab));
  EXPECT_THROW(tokenizer.checkFitsVocab(32), std::invalid_argument);
}
