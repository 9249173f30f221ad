// GPT-2's byte-level alphabet: each byte as a printable code point.
#include "ByteLevelTable.h"

#include "Utf8.h"

namespace rlg::runtime::bpe {

const ByteLevelTable &ByteLevelTable::get() {
  static const ByteLevelTable table;
  return table;
}

ByteLevelTable::ByteLevelTable() {
  bytes.fill(-1);
  // Printable Latin-1 bytes stand for themselves; the others (controls,
  // space, 0x7F-0xA0, 0xAD) take 256, 257, ... in byte order.
  char32_t next = 256;
  for (int byte = 0; byte < 256; ++byte) {
    bool printable = (byte >= '!' && byte <= '~') ||
                     (byte >= 0xA1 && byte <= 0xAC) ||
                     (byte >= 0xAE && byte <= 0xFF);
    char32_t codePoint = printable ? static_cast<char32_t>(byte) : next++;
    appendUtf8(chars[byte], codePoint);
    bytes[codePoint] = static_cast<int16_t>(byte);
  }
}

std::string ByteLevelTable::encode(std::string_view text) const {
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text)
    out += chars[static_cast<unsigned char>(c)];
  return out;
}

} // namespace rlg::runtime::bpe
