// BpeTokenizer: hand-computed ids, round trips, config files, errors.
#include "rlg/Runtime/Data/BpeTokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace rlg::runtime;
using nlohmann::json;
using Ids = std::vector<int64_t>;

namespace {

namespace fs = std::filesystem;

/// A folder of its own under the temporary folder, removed afterwards.
class TempFolder {
public:
  TempFolder() {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = fs::temp_directory_path() /
           ("rlg-bpe-" + std::string(info->name()) + "-" +
            std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string &name, const std::string &text) const {
    fs::path file = path / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  fs::path write(const std::string &name, const json &value) const {
    return write(name, value.dump(1));
  }

  fs::path path;

private:
  static inline int counter = 0;
};

/// GPT-2's byte -> code point table, written out independently of the
/// library's.
std::string byteChar(unsigned char byte) {
  int codePoint = byte;
  bool printable = (byte >= 0x21 && byte <= 0x7E) ||
                   (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
  if (!printable) {
    int n = 0;
    for (int b = 0; b < byte; ++b) {
      bool p =
          (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      if (!p)
        ++n;
    }
    codePoint = 256 + n;
  }
  std::string out;
  if (codePoint < 0x80) {
    out.push_back(static_cast<char>(codePoint));
  } else {
    out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  }
  return out;
}

/// Text in byte-level code points ("a b" -> "aĠb").
std::string bl(const std::string &text) {
  std::string out;
  for (char c : text)
    out += byteChar(static_cast<unsigned char>(c));
  return out;
}

/// A vocabulary of the 256 byte-level characters (id = byte) plus the
/// results of `merges` (ids 256, 257, ...), and those merges.
json byteLevelModel(
    const std::vector<std::pair<std::string, std::string>> &merges,
    bool ignoreMerges = false) {
  json vocab = json::object();
  for (int byte = 0; byte < 256; ++byte)
    vocab[byteChar(static_cast<unsigned char>(byte))] = byte;
  json mergeList = json::array();
  int next = 256;
  for (const auto &[left, right] : merges) {
    if (!vocab.contains(left + right))
      vocab[left + right] = next++;
    mergeList.push_back({left, right});
  }
  return {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"ignore_merges", ignoreMerges},
          {"vocab", vocab},
          {"merges", mergeList}};
}

json addedToken(int64_t id, const std::string &content, bool special = true) {
  return {{"id", id},          {"content", content}, {"single_word", false},
          {"lstrip", false},   {"rstrip", false},    {"normalized", !special},
          {"special", special}};
}

json byteLevel(bool addPrefixSpace, bool useRegex) {
  return {{"type", "ByteLevel"},
          {"add_prefix_space", addPrefixSpace},
          {"trim_offsets", false},
          {"use_regex", useRegex}};
}

const char *kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char *kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

/// A tokenizer.json with the given parts.
json tokenizerJson(json model, json preTokenizer, json normalizer = nullptr,
                   json postProcessor = nullptr, json decoder = nullptr,
                   json added = json::array()) {
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer", normalizer},
          {"pre_tokenizer", preTokenizer},
          {"post_processor", postProcessor},
          {"decoder", decoder},
          {"model", model}};
}

/// Qwen2's pipeline: NFC, the Qwen2 split, byte-level without its regex,
/// and <|endoftext|>, <|im_start|>, <|im_end|> as ids `firstAdded`, + 1,
/// + 2.
json qwen2Json(json model, int64_t firstAdded = 300) {
  json preTokenizer = {{"type", "Sequence"},
                       {"pretokenizers",
                        {{{"type", "Split"},
                          {"pattern", {{"Regex", kQwen2Pattern}}},
                          {"behavior", "Isolated"},
                          {"invert", false}},
                         byteLevel(false, false)}}};
  return tokenizerJson(model, preTokenizer, {{"type", "NFC"}},
                       byteLevel(false, false), byteLevel(false, false),
                       {addedToken(firstAdded, "<|endoftext|>"),
                        addedToken(firstAdded + 1, "<|im_start|>"),
                        addedToken(firstAdded + 2, "<|im_end|>")});
}

std::unique_ptr<BpeTokenizer> loadJson(const TempFolder &folder,
                                       const json &tokenizer,
                                       const json &config = nullptr) {
  folder.write("tokenizer.json", tokenizer);
  if (!config.is_null())
    folder.write("tokenizer_config.json", config);
  return BpeTokenizer::load(folder.path, /*requireEos=*/false);
}

/// The message of the std::invalid_argument that loading throws.
std::string loadError(const json &tokenizer, const json &config = nullptr,
                      bool requireEos = false) {
  TempFolder folder;
  folder.write("tokenizer.json", tokenizer);
  if (!config.is_null())
    folder.write("tokenizer_config.json", config);
  try {
    BpeTokenizer::load(folder.path, requireEos);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "(no error)";
}

std::string loadErrorText(const std::string &text) {
  TempFolder folder;
  folder.write("tokenizer.json", text);
  try {
    BpeTokenizer::load(folder.path, false);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "(no error)";
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "\"" << (haystack) << "\" lacks \"" << (needle) << "\""

} // namespace

TEST(BpeTokenizerTest, Gpt2StyleMergesByRank) {
  TempFolder folder;
  json model = byteLevelModel({{"l", "l"},           // 256
                               {"h", "e"},           // 257
                               {"he", "ll"},         // 258
                               {bl(" "), "w"},       // 259
                               {"t", "'"},           // 260
                               {"1", "2"},           // 261
                               {bl(" "), bl(" ")}}); // 262
  auto tokenizer = loadJson(
      folder, tokenizerJson(model, byteLevel(false, true), nullptr,
                            byteLevel(false, true), byteLevel(false, true)));
  EXPECT_EQ(tokenizer->encode("hello world", true),
            (Ids{258, 111, 259, 111, 114, 108, 100}));
  // Equal ranks merge leftmost first.
  EXPECT_EQ(tokenizer->encode("lll", true), (Ids{256, 108}));
  EXPECT_EQ(tokenizer->encode("hellllo", true), (Ids{258, 256, 111}));
  // GPT-2's pattern: contractions and numbers are pieces of their own, and
  // a run of spaces leaves its last space to the next word.
  EXPECT_EQ(tokenizer->encode("it's", true), (Ids{105, 116, 39, 115}));
  EXPECT_EQ(tokenizer->encode("a 12", true), (Ids{97, 32, 261}));
  EXPECT_EQ(tokenizer->encode("a   b", true), (Ids{97, 262, 32, 98}));
  EXPECT_EQ(tokenizer->encode("", true), Ids{});
  EXPECT_EQ(tokenizer->decodeIds({258, 111, 259, 111, 114, 108, 100}, false),
            "hello world");
  EXPECT_EQ(tokenizer->vocabSize(), 263);
  EXPECT_EQ(tokenizer->tokenToId("hell"), 258);
  EXPECT_EQ(tokenizer->tokenToId("nope"), std::nullopt);
}

TEST(BpeTokenizerTest, ByteLevelAddPrefixSpaceAndMergeStrings) {
  TempFolder folder;
  json model = byteLevelModel({{"l", "l"}, {"h", "e"}, {"he", "ll"}});
  // Old files write merges as "a b".
  model["merges"] = {"l l", "h e", "he ll"};
  auto tokenizer =
      loadJson(folder, tokenizerJson(model, byteLevel(true, true), nullptr,
                                     nullptr, byteLevel(true, true)));
  EXPECT_EQ(tokenizer->encode("hello", false), (Ids{32, 258, 111}));
  EXPECT_EQ(tokenizer->encode(" hello", false), (Ids{32, 258, 111}));
  EXPECT_EQ(tokenizer->decodeIds({32, 258, 111}, false), " hello");
}

TEST(BpeTokenizerTest, Qwen2StyleSplitAndNfc) {
  TempFolder folder;
  json model = byteLevelModel({{"t", "'"},                 // 256
                               {"'", "S"},                 // 257
                               {"1", "2"},                 // 258
                               {bl("\n"), bl("\n")},       // 259
                               {"\xC3\x83", "\xC2\xA9"}}); // 260: "é" in UTF-8
  auto tokenizer =
      loadJson(folder, qwen2Json(model),
               {{"eos_token", "<|im_end|>"}, {"pad_token", "<|endoftext|>"}});
  // (?i:'s) takes "'S" on its own, so "t'" never forms.
  EXPECT_EQ(tokenizer->encode("it'S", true), (Ids{105, 116, 257}));
  // Digits are pieces of one digit each.
  EXPECT_EQ(tokenizer->encode("a 12", true), (Ids{97, 32, 49, 50}));
  // NFC: e + U+0301 is é (C3 A9).
  EXPECT_EQ(tokenizer->encode("e\xCC\x81", true), (Ids{260}));
  EXPECT_EQ(tokenizer->encode("\xC3\xA9", true), (Ids{260}));
  // Newlines: \s*[\r\n]+ keeps "\n\n" together.
  EXPECT_EQ(tokenizer->encode("a\n\nb", true), (Ids{97, 259, 98}));
  // ?[^\s\p{L}\p{N}]+[\r\n]* takes trailing newlines.
  EXPECT_EQ(tokenizer->encode("x!!\n", true), (Ids{120, 33, 33, 10}));
  // Qwen2 adds no special tokens of its own.
  EXPECT_EQ(tokenizer->encodePrompt("a"), (Ids{97}));
  EXPECT_EQ(tokenizer->eosId(), 302);
  EXPECT_EQ(tokenizer->padId(), 300);
  EXPECT_EQ(tokenizer->bosId(), std::nullopt);
  EXPECT_EQ(tokenizer->vocabSize(), 303);
  EXPECT_EQ(tokenizer->encodeResponse("a", true), (Ids{97, 302}));
  EXPECT_EQ(tokenizer->encodeResponse("a", false), (Ids{97}));
}

TEST(BpeTokenizerTest, AddedTokensSplitTheText) {
  TempFolder folder;
  json model = byteLevelModel({});
  json tokenizerFile = qwen2Json(model);
  json mask = addedToken(303, "<mask>");
  mask["lstrip"] = true;
  json right = addedToken(304, "<r>");
  right["rstrip"] = true;
  json word = addedToken(305, "[X]", /*special=*/false);
  word["single_word"] = true;
  tokenizerFile["added_tokens"].push_back(mask);
  tokenizerFile["added_tokens"].push_back(right);
  tokenizerFile["added_tokens"].push_back(word);
  auto tokenizer =
      loadJson(folder, tokenizerFile, {{"eos_token", "<|im_end|>"}});
  Ids chat = {301, 117, 115, 101, 114, 10, 104, 105, 302};
  EXPECT_EQ(tokenizer->encode("<|im_start|>user\nhi<|im_end|>", true), chat);
  EXPECT_EQ(tokenizer->decodeIds(chat, false),
            "<|im_start|>user\nhi<|im_end|>");
  EXPECT_EQ(tokenizer->decodeIds(chat, true), "user\nhi");
  // Added tokens are never merged with their neighbours.
  EXPECT_EQ(tokenizer->encode("a<|im_end|><|im_end|>b", true),
            (Ids{97, 302, 302, 98}));
  // lstrip takes the spaces before, rstrip the spaces after.
  EXPECT_EQ(tokenizer->encode("a <mask> b", true), (Ids{97, 303, 32, 98}));
  EXPECT_EQ(tokenizer->encode("x<r>  y", true), (Ids{120, 304, 121}));
  // single_word: only between non-word characters.
  EXPECT_EQ(tokenizer->encode("a [X] b", true), (Ids{97, 32, 305, 32, 98}));
  EXPECT_EQ(tokenizer->encode("a[X]b", true), (Ids{97, 91, 88, 93, 98}));
  // Skipping special tokens keeps the non-special [X].
  EXPECT_EQ(tokenizer->decodeIds({301, 305, 302}, true), "[X]");
  // The interface's decode stops at EOS and drops special tokens.
  EXPECT_EQ(tokenizer->decode({301, 104, 302, 105}), "h");
  EXPECT_EQ(tokenizer->decode({301, 104, 302, 105}, false), "hi");
}

TEST(BpeTokenizerTest, Llama3StyleBosAndIgnoreMerges) {
  TempFolder folder;
  json model = byteLevelModel({{"l", "l"},   // 256
                               {"1", "2"},   // 257
                               {"12", "3"}}, // 258
                              /*ignoreMerges=*/true);
  model["vocab"]["hello"] = 270;
  json preTokenizer = {{"type", "Sequence"},
                       {"pretokenizers",
                        {{{"type", "Split"},
                          {"pattern", {{"Regex", kLlama3Pattern}}},
                          {"behavior", "Isolated"},
                          {"invert", false}},
                         byteLevel(false, false)}}};
  json postProcessor = {
      {"type", "Sequence"},
      {"processors",
       {byteLevel(true, true),
        {{"type", "TemplateProcessing"},
         {"single",
          {{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}},
           {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
         {"pair", json::array()},
         {"special_tokens",
          {{"<|begin_of_text|>",
            {{"id", "<|begin_of_text|>"},
             {"ids", {300}},
             {"tokens", {"<|begin_of_text|>"}}}}}}}}}};
  auto tokenizer = loadJson(
      folder,
      tokenizerJson(
          model, preTokenizer, nullptr, postProcessor, byteLevel(true, true),
          {addedToken(300, "<|begin_of_text|>"),
           addedToken(301, "<|end_of_text|>"), addedToken(302, "<|eot_id|>")}),
      {{"bos_token", "<|begin_of_text|>"},
       {"eos_token", {{"content", "<|eot_id|>"}, {"special", true}}}});
  // A word that is a token stays whole with ignore_merges.
  EXPECT_EQ(tokenizer->encode("hello", true), (Ids{300, 270}));
  EXPECT_EQ(tokenizer->encode("hello", false), (Ids{270}));
  EXPECT_EQ(tokenizer->encode("hellos", false), (Ids{104, 101, 256, 111, 115}));
  // Numbers go in pieces of up to three digits.
  EXPECT_EQ(tokenizer->encode("12345", false), (Ids{258, 52, 53}));
  EXPECT_EQ(tokenizer->encode("", true), (Ids{300}));
  EXPECT_EQ(tokenizer->bosId(), 300);
  EXPECT_EQ(tokenizer->eosId(), 302);
  EXPECT_EQ(tokenizer->padId(), 302);
  EXPECT_EQ(tokenizer->encodePrompt("hello"), (Ids{300, 270}));
  EXPECT_EQ(tokenizer->encodeResponse("hello", true), (Ids{270, 302}));
  EXPECT_EQ(tokenizer->decode({300, 270, 302, 104}), "hello");
  EXPECT_EQ(tokenizer->decode({300, 270, 302, 104}, false), "helloh");
  EXPECT_EQ(tokenizer->decodeIds({300, 270}, false), "<|begin_of_text|>hello");
  EXPECT_EQ(tokenizer->vocabSize(), 303);
  EXPECT_NO_THROW(tokenizer->checkFitsVocab(303));
  EXPECT_THROW(tokenizer->checkFitsVocab(302), std::invalid_argument);
  // A row of a padded model vocabulary has no text; decodeIds (the
  // command's) refuses it.
  EXPECT_EQ(tokenizer->decode({270, 303, 104}), "helloh");
  EXPECT_THROW(tokenizer->decode({-1}), std::invalid_argument);
  EXPECT_THROW(tokenizer->decodeIds({303}, false), std::invalid_argument);
  EXPECT_THROW(tokenizer->encode("bad \xFF byte", false),
               std::invalid_argument);
}

/// A Llama-2 style vocabulary: <unk>, <s>, </s>, the 256 byte tokens
/// <0x00>.. (ids 3-258), then pieces with U+2581 for spaces.
json llama2Model(bool byteFallback, bool fuseUnk) {
  json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  for (int byte = 0; byte < 256; ++byte) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", byte);
    vocab[name] = 3 + byte;
  }
  const std::string space = "\xE2\x96\x81";
  std::vector<std::string> pieces = {space,
                                     "h",
                                     "e",
                                     "l",
                                     "o",
                                     space + "h",
                                     "ll",
                                     space + "he",
                                     space + "hell",
                                     space + "hello"};
  for (size_t i = 0; i < pieces.size(); ++i)
    vocab[pieces[i]] = 259 + static_cast<int>(i);
  return {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", "<unk>"},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", fuseUnk},
          {"byte_fallback", byteFallback},
          {"ignore_merges", false},
          {"vocab", vocab},
          {"merges",
           json::array({json::array({space, "h"}), json::array({"l", "l"}),
                        json::array({space + "h", "e"}),
                        json::array({space + "he", "ll"}),
                        json::array({space + "hell", "o"})})}};
}

json llama2Json(json model, json preTokenizer, json normalizer, json decoder) {
  json postProcessor = {
      {"type", "TemplateProcessing"},
      {"single",
       {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
        {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
      {"special_tokens",
       {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}};
  return tokenizerJson(
      model, preTokenizer, normalizer, postProcessor, decoder,
      {addedToken(0, "<unk>"), addedToken(1, "<s>"), addedToken(2, "</s>")});
}

json llama2Decoder() {
  return {{"type", "Sequence"},
          {"decoders",
           {{{"type", "Replace"},
             {"pattern", {{"String", "\xE2\x96\x81"}}},
             {"content", " "}},
            {{"type", "ByteFallback"}},
            {{"type", "Fuse"}},
            {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}};
}

TEST(BpeTokenizerTest, Llama2StyleMetaspaceAndByteFallback) {
  TempFolder folder;
  json metaspace = {{"type", "Metaspace"},
                    {"replacement", "\xE2\x96\x81"},
                    {"prepend_scheme", "first"},
                    {"split", false}};
  auto tokenizer = loadJson(
      folder,
      llama2Json(llama2Model(true, false), metaspace, nullptr, llama2Decoder()),
      {{"bos_token", "<s>"}, {"eos_token", "</s>"}});
  // 世 (E4 B8 96) is not in the vocabulary: its bytes are.
  Ids ids = {268, 259, 3 + 0xE4, 3 + 0xB8, 3 + 0x96};
  EXPECT_EQ(tokenizer->encode("hello \xE4\xB8\x96", false), ids);
  Ids withBos = ids;
  withBos.insert(withBos.begin(), 1);
  EXPECT_EQ(tokenizer->encode("hello \xE4\xB8\x96", true), withBos);
  EXPECT_EQ(tokenizer->decodeIds(ids, false), "hello \xE4\xB8\x96");
  EXPECT_EQ(tokenizer->decodeIds(withBos, false), "<s> hello \xE4\xB8\x96");
  EXPECT_EQ(tokenizer->decodeIds(withBos, true), "hello \xE4\xB8\x96");
  // Bytes that are not UTF-8 decode to one U+FFFD each.
  EXPECT_EQ(tokenizer->decodeIds({3 + 0xE4, 3 + 0xB8}, false),
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  // prepend_scheme "first": no U+2581 after a leading added token.
  EXPECT_EQ(tokenizer->encode("<s>hello", false), (Ids{1, 260, 261, 265, 263}));
  EXPECT_EQ(tokenizer->bosId(), 1);
  EXPECT_EQ(tokenizer->eosId(), 2);
}

TEST(BpeTokenizerTest, UnknownTokenFusedOrNot) {
  json metaspace = {{"type", "Metaspace"},
                    {"replacement", "\xE2\x96\x81"},
                    {"prepend_scheme", "always"},
                    {"split", true}};
  json decoder = {{"type", "Metaspace"},
                  {"replacement", "\xE2\x96\x81"},
                  {"prepend_scheme", "always"},
                  {"split", true}};
  {
    TempFolder folder;
    auto tokenizer = loadJson(folder, llama2Json(llama2Model(false, true),
                                                 metaspace, nullptr, decoder));
    EXPECT_EQ(tokenizer->encode("h\xE4\xB8\x96\xE7\x95\x8C", false),
              (Ids{264, 0}));
    // split: each U+2581 starts a piece; always: every piece gets one.
    EXPECT_EQ(tokenizer->encode("hello hello", false), (Ids{268, 268}));
    EXPECT_EQ(tokenizer->decodeIds({268, 268}, false), "hello hello");
  }
  {
    TempFolder folder;
    auto tokenizer = loadJson(folder, llama2Json(llama2Model(false, false),
                                                 metaspace, nullptr, decoder));
    EXPECT_EQ(tokenizer->encode("h\xE4\xB8\x96\xE7\x95\x8C", false),
              (Ids{264, 0, 0}));
  }
}

TEST(BpeTokenizerTest, LegacyLlama2Normalizer) {
  // Older Llama 2 files: Prepend + Replace normalizers, no pre-tokenizer.
  TempFolder folder;
  json normalizer = {{"type", "Sequence"},
                     {"normalizers",
                      {{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}},
                       {{"type", "Replace"},
                        {"pattern", {{"String", " "}}},
                        {"content", "\xE2\x96\x81"}}}}};
  auto tokenizer =
      loadJson(folder, llama2Json(llama2Model(true, false), nullptr, normalizer,
                                  llama2Decoder()));
  EXPECT_EQ(tokenizer->encode("hello hello", true), (Ids{1, 268, 268}));
  EXPECT_EQ(tokenizer->decodeIds({1, 268, 268}, true), "hello hello");
}

TEST(BpeTokenizerTest, OtherNormalizersAndPreTokenizers) {
  TempFolder folder;
  json model = byteLevelModel({{"1", "2"}});
  json preTokenizer = {{"type", "Sequence"},
                       {"pretokenizers",
                        {{{"type", "Digits"}, {"individual_digits", false}},
                         {{"type", "Split"},
                          {"pattern", {{"String", "-"}}},
                          {"behavior", "Removed"},
                          {"invert", false}},
                         byteLevel(false, false)}}};
  json normalizer = {{"type", "Sequence"},
                     {"normalizers",
                      {{{"type", "NFKC"}},
                       {{"type", "Lowercase"}},
                       {{"type", "Replace"},
                        {"pattern", {{"Regex", "\\s+"}}},
                        {"content", " "}}}}};
  auto tokenizer =
      loadJson(folder, tokenizerJson(model, preTokenizer, normalizer, nullptr,
                                     byteLevel(false, false)));
  // NFKC turns the full-width Ａ into A, Lowercase into a, \s+ -> " ";
  // Digits keeps "12" together, Split removes "-".
  EXPECT_EQ(tokenizer->encode("\xEF\xBC\xA1\t\t12-B", false),
            (Ids{97, 32, 256, 98}));
  EXPECT_EQ(tokenizer->decodeIds({97, 32, 256, 98}, false), "a 12b");
}

TEST(BpeTokenizerTest, NormalizedAddedTokensMatchNormalizedText) {
  // An added token with normalized=true is matched in the normalized text,
  // and decodes as the normalizer writes it.
  TempFolder folder;
  json normalizer = {{"type", "Sequence"},
                     {"normalizers", {{{"type", "Lowercase"}}}}};
  auto tokenizer = loadJson(
      folder, tokenizerJson(byteLevelModel({}), byteLevel(false, false),
                            normalizer, nullptr, byteLevel(false, false),
                            {addedToken(256, "HeLLo", /*special=*/false),
                             addedToken(257, "<S>")}));
  EXPECT_EQ(tokenizer->encode("a HELLO<S>", false), (Ids{97, 32, 256, 257}));
  // <S> is not normalized: the lowercase <s> is text.
  EXPECT_EQ(tokenizer->encode("<s>", false), (Ids{60, 115, 62}));
  EXPECT_EQ(tokenizer->decodeIds({256, 257}, false), "hello<S>");
  EXPECT_EQ(tokenizer->decodeIds({256, 257}, true), "hello");
}

TEST(BpeTokenizerTest, SplitBehaviors) {
  // Each behaviour on "a-b--c" split at "-".
  std::vector<std::pair<std::string, Ids>> cases = {
      {"Isolated", {97, 45, 98, 45, 45, 99}},
      {"Removed", {97, 98, 99}},
      {"MergedWithPrevious", {256, 98, 45, 45, 99}},
      {"MergedWithNext", {97, 257, 45, 45, 99}},
      {"Contiguous", {97, 45, 98, 258, 99}},
  };
  for (const auto &[behavior, expected] : cases) {
    TempFolder folder;
    // "a-" 256, "-b" 257, "--" 258: each shows which pieces formed.
    json model = byteLevelModel({{"a", "-"}, {"-", "b"}, {"-", "-"}});
    model["vocab"]["a-"] = 256;
    model["vocab"]["-b"] = 257;
    model["vocab"]["--"] = 258;
    json preTokenizer = {{"type", "Split"},
                         {"pattern", {{"String", "-"}}},
                         {"behavior", behavior},
                         {"invert", false}};
    auto tokenizer = loadJson(folder, tokenizerJson(model, preTokenizer));
    EXPECT_EQ(tokenizer->encode("a-b--c", false), expected) << behavior;
  }
}

TEST(BpeTokenizerTest, RegexClassesFollowOniguruma) {
  auto removing = [](const std::string &pattern) {
    json split = {{"type", "Split"},
                  {"pattern", {{"Regex", pattern}}},
                  {"behavior", "Removed"},
                  {"invert", false}};
    json preTokenizer = {{"type", "Sequence"},
                         {"pretokenizers", {split, byteLevel(false, false)}}};
    return tokenizerJson(byteLevelModel({}), preTokenizer);
  };
  TempFolder a, b, c;
  // \s takes U+000B and U+0085 too.
  EXPECT_EQ(loadJson(a, removing("\\s+"))
                ->encode("a\x0B"
                         "b\xC2\x85"
                         "c",
                         false),
            (Ids{97, 98, 99}));
  // \w takes every number (the superscript two too).
  EXPECT_EQ(loadJson(b, removing("[^\\w]+"))->encode("x\xC2\xB2!", false),
            (Ids{120, 0xC2, 0xB2}));
  // . takes everything but a newline (U+2028 too).
  EXPECT_EQ(loadJson(c, removing("."))
                ->encode("a\xE2\x80\xA8"
                         "b\nc",
                         false),
            (Ids{10}));
}

TEST(BpeTokenizerTest, ByteLevelDecodingIsLossy) {
  TempFolder folder;
  auto tokenizer =
      loadJson(folder, tokenizerJson(byteLevelModel({}), byteLevel(false, true),
                                     nullptr, nullptr, byteLevel(false, true)));
  // An incomplete sequence is one U+FFFD, a stray byte one more.
  EXPECT_EQ(tokenizer->decodeIds({0xE4, 0xB8}, false), "\xEF\xBF\xBD");
  EXPECT_EQ(tokenizer->decodeIds({0xE4, 0x41, 0xFF}, false), "\xEF\xBF\xBD"
                                                             "A\xEF\xBF\xBD");
  EXPECT_EQ(tokenizer->decodeIds({0xE4, 0xB8, 0x96}, false), "\xE4\xB8\x96");
}

namespace {

/// Merges of a small English-like vocabulary: space + letter, letter
/// pairs, then a few longer pieces.
std::vector<std::pair<std::string, std::string>> roundTripMerges() {
  std::vector<std::pair<std::string, std::string>> merges;
  const std::string letters = "etaoinshrdlucmfwypvbgkqjxz";
  for (char c : letters)
    merges.push_back({bl(" "), std::string(1, c)});
  for (char a : letters)
    for (char b : letters)
      merges.push_back({std::string(1, a), std::string(1, b)});
  merges.push_back({bl(" ") + "t", "he"});
  merges.push_back({"in", "g"});
  merges.push_back({bl(" ") + "a", "nd"});
  merges.push_back({bl(" "), bl(" ")});
  merges.push_back({bl("  "), bl("  ")});
  merges.push_back({"\xC3\x83", "\xC2\xA9"});
  return merges;
}

/// Varied text: words, accents, combining marks, CJK, emoji, numbers,
/// code, runs of spaces and tabs, newlines, special tokens.
std::vector<std::string> variedStrings(size_t count) {
  const std::vector<std::string> parts = {
      "the",
      "quick",
      "brown",
      "fox",
      " ",
      "  ",
      "\t",
      "\t\t ",
      "\n",
      "\r\n",
      "caf\xC3\xA9",
      "e\xCC\x81",
      "na\xC3\xAFve",
      "\xC3\x9C"
      "ber",
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
      "\xE4\xB8\xAD\xE6\x96\x87",
      "\xF0\x9F\x98\x80",
      "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
      "\xE2\x80\x8B",
      "123",
      "4567890",
      "3.14",
      "-42",
      "def f(x):",
      "return x*2;",
      "{\"a\": [1, 2]}",
      "i++",
      "a->b",
      "it's",
      "I'LL",
      "we're",
      "<|im_start|>",
      "<|im_end|>",
      "\xCE\xA3\xCE\xA3",
      "\xD0\x9F\xD1\x80\xD0\xB8",
      "\xD9\x85\xD8\xB1",
      "!!!",
      "...",
      "\xC2\xA0",
      "\xE3\x80\x80",
      "___"};
  std::mt19937 rng(7);
  std::vector<std::string> strings;
  for (size_t i = 0; i < count; ++i) {
    std::string text;
    size_t n = 1 + rng() % 8;
    for (size_t j = 0; j < n; ++j)
      text += parts[rng() % parts.size()];
    strings.push_back(text);
  }
  return strings;
}

} // namespace

TEST(BpeTokenizerTest, RoundTripsVariedText) {
  TempFolder folder;
  auto tokenizer =
      loadJson(folder, qwen2Json(byteLevelModel(roundTripMerges()), 2000),
               {{"eos_token", "<|im_end|>"}});
  size_t shorter = 0;
  std::vector<std::string> strings = variedStrings(400);
  for (const std::string &text : strings) {
    // NFC changes e + U+0301, so compare with the NFC text where needed.
    std::string expected = text;
    for (size_t pos; (pos = expected.find("e\xCC\x81")) != std::string::npos;)
      expected.replace(pos, 3, "\xC3\xA9");
    Ids ids = tokenizer->encode(text, true);
    EXPECT_EQ(tokenizer->decodeIds(ids, false), expected) << text;
    if (ids.size() < text.size())
      ++shorter;
  }
  // The merges do shorten most strings.
  EXPECT_GT(shorter, strings.size() / 2);
  // Long runs are linear, not quadratic.
  std::string longWord(200000, 'e');
  Ids ids = tokenizer->encode(longWord, false);
  EXPECT_EQ(ids.size(), 100000u);
  EXPECT_EQ(tokenizer->decodeIds(ids, false), longWord);
  std::string spaces(100000, ' ');
  EXPECT_EQ(tokenizer->decodeIds(tokenizer->encode(spaces, false), false),
            spaces);
}

TEST(BpeTokenizerTest, SpecialIdsFromConfigFiles) {
  json model = byteLevelModel({});
  {
    // generation_config.json's list: its first id.
    TempFolder folder;
    folder.write("tokenizer.json", qwen2Json(model));
    folder.write("generation_config.json",
                 json{{"eos_token_id", {302, 300}}, {"bos_token_id", 301}});
    folder.write("config.json", json{{"eos_token_id", 300}});
    auto tokenizer = BpeTokenizer::load(folder.path);
    EXPECT_EQ(tokenizer->eosId(), 302);
    EXPECT_EQ(tokenizer->padId(), 302);
    EXPECT_EQ(tokenizer->bosId(), 301);
  }
  {
    // config.json alone; a path to tokenizer.json reads its folder too.
    TempFolder folder;
    fs::path file = folder.write("tokenizer.json", qwen2Json(model));
    folder.write("config.json", json{{"eos_token_id", 300}});
    auto tokenizer = BpeTokenizer::load(file);
    EXPECT_EQ(tokenizer->eosId(), 300);
  }
  {
    // A file of another name is read alone: no EOS.
    TempFolder folder;
    fs::path file = folder.write("qwen.json", qwen2Json(model));
    folder.write("config.json", json{{"eos_token_id", 300}});
    EXPECT_EQ(BpeTokenizer::load(file, false)->eosId(), -1);
    try {
      BpeTokenizer::load(file);
      FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument &e) {
      EXPECT_CONTAINS(e.what(), "no end-of-sequence token");
    }
  }
}

TEST(BpeTokenizerTest, ConfigErrorsNameFileAndField) {
  json tokenizer = qwen2Json(byteLevelModel({}));
  EXPECT_CONTAINS(loadError(tokenizer, {{"eos_token", "<nope>"}}),
                  "tokenizer_config.json: eos_token \"<nope>\" is not a token");
  EXPECT_CONTAINS(loadError(tokenizer, {{"pad_token", 7}}),
                  "tokenizer_config.json: pad_token must be a token");
  EXPECT_CONTAINS(loadError(tokenizer, nullptr, /*requireEos=*/true),
                  "no end-of-sequence token");
  TempFolder folder;
  folder.write("tokenizer.json", tokenizer);
  folder.write("config.json", json{{"eos_token_id", 5000}});
  try {
    BpeTokenizer::load(folder.path);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_CONTAINS(e.what(), "config.json: eos_token_id 5000 is outside "
                              "the vocabulary [0, 303)");
  }
  try {
    BpeTokenizer::load(folder.path / "missing");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_CONTAINS(e.what(), "no such file or folder");
  }
  TempFolder empty;
  try {
    BpeTokenizer::load(empty.path);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_CONTAINS(e.what(), "the folder has no tokenizer.json");
  }
}

TEST(BpeTokenizerTest, MalformedFilesNameTheJsonPath) {
  EXPECT_CONTAINS(loadErrorText("{\"model\": "), "not valid JSON");
  EXPECT_CONTAINS(loadErrorText("[1, 2]"), "must hold a JSON object");
  EXPECT_CONTAINS(loadErrorText("{\"version\": \"1.0\"}"),
                  "tokenizer.json: has no \"model\"");

  json good = qwen2Json(byteLevelModel({{"l", "l"}}));
  auto with = [&good](const std::string &pointer, const json &value) {
    json file = good;
    file[json::json_pointer(pointer)] = value;
    return file;
  };
  EXPECT_CONTAINS(loadError(with("/model/merges/1", {"l", "zz"})),
                  "model.merges[1] names \"zz\", which is not in model.vocab");
  EXPECT_CONTAINS(loadError(with("/model/merges/1", "ll")),
                  "model.merges[1] \"ll\" must be two tokens");
  EXPECT_CONTAINS(loadError(with("/model/vocab/zz", -1)),
                  "model.vocab[\"zz\"] is -1, outside [0, 2147483647)");
  EXPECT_CONTAINS(loadError(with("/model/vocab/zz", "x")),
                  "model.vocab[\"zz\"] must be an integer id");
  EXPECT_CONTAINS(loadError(with("/model/vocab/zz", 97)),
                  "model.vocab[\"zz\"] has id 97, which \"a\" has too");
  EXPECT_CONTAINS(loadError(with("/added_tokens/0/id", 97)),
                  "added_tokens[0].id 97 is the id of \"a\" in model.vocab");
  EXPECT_CONTAINS(loadError(with("/added_tokens/1/id", 300)),
                  "added_tokens[1].id 300 is the id of \"<|endoftext|>\" too");
  EXPECT_CONTAINS(loadError(with("/added_tokens/0/id", 4294967296LL)),
                  "added_tokens[0].id is 4294967296, outside [0, ");
  EXPECT_CONTAINS(loadError(with("/model/type", "WordPiece")),
                  "model.type \"WordPiece\" is not supported (supported: BPE)");
  EXPECT_CONTAINS(loadError(with("/model/dropout", 0.1)),
                  "model.dropout must be null");
  EXPECT_CONTAINS(loadError(with("/model/continuing_subword_prefix", "##")),
                  "model.continuing_subword_prefix \"##\" is not supported");
  EXPECT_CONTAINS(loadError(with("/model/unk_token", "<unk>")),
                  "model.unk_token \"<unk>\" is not in model.vocab");
  EXPECT_CONTAINS(
      loadError(
          with("/pre_tokenizer/pretokenizers/1", {{"type", "Whitespace"}})),
      "tokenizer.json: pre_tokenizer.pretokenizers[1].type \"Whitespace\" is "
      "not supported (supported: ByteLevel, Split, Digits, Metaspace, "
      "Sequence)");
  EXPECT_CONTAINS(loadError(with("/pre_tokenizer/pretokenizers/0/pattern",
                                 {{"Regex", "(unclosed"}})),
                  "pre_tokenizer.pretokenizers[0].pattern.Regex cannot "
                  "compile \"(unclosed\"");
  EXPECT_CONTAINS(
      loadError(with("/pre_tokenizer/pretokenizers/0/behavior", "Sideways")),
      "pre_tokenizer.pretokenizers[0].behavior \"Sideways\" is "
      "not supported");
  EXPECT_CONTAINS(loadError(with("/normalizer", {{"type", "BertNormalizer"}})),
                  "normalizer.type \"BertNormalizer\" is not supported");
  EXPECT_CONTAINS(loadError(with("/normalizer", {{"kind", "NFC"}})),
                  "normalizer has no \"type\"");
  EXPECT_CONTAINS(loadError(with("/decoder", {{"type", "WordPiece"}})),
                  "decoder.type \"WordPiece\" is not supported");
  EXPECT_CONTAINS(
      loadError(with("/post_processor", {{"type", "BertProcessing"}})),
      "post_processor.type \"BertProcessing\" is not supported");
  json badTemplate = {
      {"type", "TemplateProcessing"},
      {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}}},
      {"special_tokens", json::object()}};
  EXPECT_CONTAINS(loadError(with("/post_processor", badTemplate)),
                  "post_processor.single[0].SpecialToken.id \"<s>\" is not "
                  "in post_processor.special_tokens");
  badTemplate["special_tokens"] = {
      {"<s>", {{"id", "<s>"}, {"ids", {999}}, {"tokens", {"<s>"}}}}};
  EXPECT_CONTAINS(loadError(with("/post_processor", badTemplate)),
                  "post_processor adds id 999, outside the vocabulary");
  EXPECT_CONTAINS(loadError(with("/added_tokens/0/special", "yes")),
                  "added_tokens[0].special must be true or false");
}
