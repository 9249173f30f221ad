// The character-level tokenizer of the built-in tasks: 64 fixed ids.
#pragma once

#include "rlg/Runtime/Data/Tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime {

/// A fixed vocabulary that fits the "tiny" and "small" presets' 64 ids:
///   0 pad, 1 bos, 2 eos,
///   3 space, 4-13 the digits 0-9, 14-17 + - * =,
///   18-43 the letters a-z,
///   44-63 . , : ; ? ! ( ) [ ] / < > _ # % & ' " and newline.
/// 64 ids cannot hold all of printable ASCII: capital letters and
/// @ $ ^ ` { | } ~ \ are left out. The tasks use only digits, operators,
/// '=', space and lowercase letters.
class CharTokenizer : public Tokenizer {
public:
  static constexpr int64_t kPadId = 0;
  static constexpr int64_t kBosId = 1;
  static constexpr int64_t kEosId = 2;
  static constexpr int64_t kVocabSize = 64;

  CharTokenizer();

  int64_t vocabSize() const override { return kVocabSize; }
  int64_t padId() const override { return kPadId; }
  int64_t bosId() const { return kBosId; }
  int64_t eosId() const override { return kEosId; }

  /// The id of each character, with BOS first and EOS last when asked.
  /// Throws std::invalid_argument naming the first character that is not in
  /// the vocabulary and its position.
  std::vector<int64_t> encode(std::string_view text, bool addBos = false,
                              bool addEos = false) const;
  /// A prompt as the models see it: BOS, then the characters.
  std::vector<int64_t> encodePrompt(std::string_view text) const override {
    return encode(text, /*addBos=*/true);
  }
  /// A response: the characters, then EOS when addEos.
  std::vector<int64_t> encodeResponse(std::string_view text,
                                      bool addEos) const override {
    return encode(text, /*addBos=*/false, addEos);
  }

  /// The characters of the ids: pad and BOS are skipped, and the text ends
  /// at the first EOS when stopAtEos (else EOS is skipped too). Throws
  /// std::invalid_argument for an id outside [0, 64).
  std::string decode(const std::vector<int64_t> &ids,
                     bool stopAtEos = true) const override;

  /// Whether the character has an id.
  bool contains(char c) const;

  /// Throws std::invalid_argument when a model's vocabulary is smaller than
  /// the tokenizer's.
  void checkFitsVocab(int64_t modelVocab) const override;

private:
  int16_t idOfChar[256];
  char charOfId[kVocabSize];
};

} // namespace rlg::runtime
