// The character-level tokenizer of the built-in tasks: 64 fixed ids.
#include "rlg/Runtime/Data/CharTokenizer.h"

#include <cstdio>
#include <stdexcept>

namespace rlg::runtime {
namespace {

/// The characters of ids 3 .. 63, in order.
constexpr std::string_view kCharacters =
    " 0123456789+-*=abcdefghijklmnopqrstuvwxyz.,:;?!()[]/<>_#%&'\"\n";
static_assert(kCharacters.size() == CharTokenizer::kVocabSize - 3,
              "the characters fill ids 3 .. 63");

/// 'x' for a printable character, else its code: "0x0a".
std::string describe(char c) {
  unsigned char code = static_cast<unsigned char>(c);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", code);
  if (code >= 0x20 && code < 0x7f)
    return "'" + std::string(1, c) + "' (" + hex + ")";
  return std::string("the byte ") + hex;
}

} // namespace

CharTokenizer::CharTokenizer() {
  for (int16_t &id : idOfChar)
    id = -1;
  for (char &c : charOfId)
    c = '\0';
  for (size_t i = 0; i < kCharacters.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(kCharacters[i]);
    idOfChar[c] = static_cast<int16_t>(i + 3);
    charOfId[i + 3] = kCharacters[i];
  }
}

bool CharTokenizer::contains(char c) const {
  return idOfChar[static_cast<unsigned char>(c)] >= 0;
}

std::vector<int64_t> CharTokenizer::encode(std::string_view text, bool addBos,
                                           bool addEos) const {
  std::vector<int64_t> ids;
  ids.reserve(text.size() + 2);
  if (addBos)
    ids.push_back(kBosId);
  for (size_t i = 0; i < text.size(); ++i) {
    int16_t id = idOfChar[static_cast<unsigned char>(text[i])];
    if (id < 0)
      throw std::invalid_argument(
          "character tokenizer: " + describe(text[i]) + " at position " +
          std::to_string(i) +
          " is not in the vocabulary (space, digits, + - * =, a-z and "
          ". , : ; ? ! ( ) [ ] / < > _ # % & ' \" newline)");
    ids.push_back(id);
  }
  if (addEos)
    ids.push_back(kEosId);
  return ids;
}

std::string CharTokenizer::decode(const std::vector<int64_t> &ids,
                                  bool stopAtEos) const {
  std::string text;
  for (int64_t id : ids) {
    if (id < 0 || id >= kVocabSize)
      throw std::invalid_argument("character tokenizer: id " +
                                  std::to_string(id) +
                                  " is outside the vocabulary [0, 64)");
    if (id == kEosId && stopAtEos)
      break;
    if (id < 3)
      continue;
    text.push_back(charOfId[id]);
  }
  return text;
}

void CharTokenizer::checkFitsVocab(int64_t modelVocab) const {
  if (modelVocab < kVocabSize)
    throw std::invalid_argument(
        "the character tokenizer needs a vocabulary of at least " +
        std::to_string(kVocabSize) + " ids; the model has " +
        std::to_string(modelVocab));
}

} // namespace rlg::runtime
