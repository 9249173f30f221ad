// GPT-2's byte-level alphabet: each byte as a printable code point.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rlg::runtime::bpe {

class ByteLevelTable {
public:
  static const ByteLevelTable &get();

  /// The UTF-8 of the code point that stands for `byte` (space -> "Ġ").
  const std::string &charOf(unsigned char byte) const { return chars[byte]; }
  /// The byte a code point stands for, or -1 when it stands for none.
  int byteOf(char32_t codePoint) const {
    return codePoint < bytes.size() ? bytes[codePoint] : -1;
  }
  /// Every byte of `text` replaced by its code point.
  std::string encode(std::string_view text) const;

private:
  ByteLevelTable();
  std::array<std::string, 256> chars;
  std::array<int16_t, 324> bytes; // the code points are all below 324
};

} // namespace rlg::runtime::bpe
