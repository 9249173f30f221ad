// UTF-8 text: code points, validation, lossy conversion to U+FFFD.
#include "Utf8.h"

#include <cstdio>

namespace rlg::runtime::bpe {
namespace {

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

/// The length of the valid prefix of a sequence starting at `pos` (1 to 3
/// bytes), or its full length when it is complete; `complete` says which.
/// The second byte's range depends on the first (no overlongs, no
/// surrogates, nothing above U+10FFFF).
size_t validPrefix(std::string_view text, size_t pos, bool &complete) {
  complete = false;
  unsigned char first = static_cast<unsigned char>(text[pos]);
  if (first < 0x80) {
    complete = true;
    return 1;
  }
  size_t width = utf8SequenceLength(first);
  if (width == 1)
    return 1; // a continuation byte or an invalid first byte
  if (pos + 1 >= text.size())
    return 1;
  unsigned char second = static_cast<unsigned char>(text[pos + 1]);
  unsigned char low = 0x80, high = 0xBF;
  if (first == 0xE0)
    low = 0xA0;
  else if (first == 0xED)
    high = 0x9F;
  else if (first == 0xF0)
    low = 0x90;
  else if (first == 0xF4)
    high = 0x8F;
  if (second < low || second > high)
    return 1;
  size_t length = 2;
  while (length < width) {
    if (pos + length >= text.size() ||
        !isContinuation(static_cast<unsigned char>(text[pos + length])))
      return length;
    ++length;
  }
  complete = true;
  return width;
}

} // namespace

size_t utf8SequenceLength(unsigned char firstByte) {
  if (firstByte < 0x80)
    return 1;
  if (firstByte >= 0xC2 && firstByte <= 0xDF)
    return 2;
  if (firstByte >= 0xE0 && firstByte <= 0xEF)
    return 3;
  if (firstByte >= 0xF0 && firstByte <= 0xF4)
    return 4;
  return 1;
}

bool nextCodePoint(std::string_view text, size_t &pos, char32_t &codePoint) {
  bool complete = false;
  size_t length = validPrefix(text, pos, complete);
  if (!complete)
    return false;
  unsigned char first = static_cast<unsigned char>(text[pos]);
  if (length == 1) {
    codePoint = first;
  } else {
    codePoint = first & (0x7F >> length);
    for (size_t i = 1; i < length; ++i)
      codePoint =
          (codePoint << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  }
  pos += length;
  return true;
}

std::optional<size_t> findInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    // ASCII runs are the common case.
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    char32_t codePoint;
    if (!nextCodePoint(text, pos, codePoint))
      return pos;
  }
  return std::nullopt;
}

size_t utf8Length(std::string_view text) {
  size_t count = 0;
  for (char c : text)
    if (!isContinuation(static_cast<unsigned char>(c)))
      ++count;
  return count;
}

void appendUtf8(std::string &out, char32_t codePoint) {
  if (codePoint < 0x80) {
    out.push_back(static_cast<char>(codePoint));
  } else if (codePoint < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  } else if (codePoint < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  }
}

std::string lossyUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    bool complete = false;
    size_t length = validPrefix(bytes, pos, complete);
    if (complete)
      out.append(bytes.substr(pos, length));
    else
      out.append("\xEF\xBF\xBD");
    pos += length;
  }
  return out;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    char buffer[8];
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else if (c >= 0x80) {
      size_t start = pos;
      char32_t codePoint;
      if (nextCodePoint(text, pos, codePoint)) {
        out.append(text.substr(start, pos - start));
        continue;
      }
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++pos;
  }
  return out + "\"";
}

} // namespace rlg::runtime::bpe
