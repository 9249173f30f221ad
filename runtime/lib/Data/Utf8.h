// UTF-8 text: code points, validation, lossy conversion to U+FFFD.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rlg::runtime::bpe {

/// Decodes the code point at `pos` and moves `pos` past it; false (and
/// `pos` unchanged) when the bytes there are not valid UTF-8.
bool nextCodePoint(std::string_view text, size_t &pos, char32_t &codePoint);
/// The byte offset of the first invalid UTF-8 sequence, if any.
std::optional<size_t> findInvalidUtf8(std::string_view text);
/// The number of code points of valid UTF-8 text.
size_t utf8Length(std::string_view text);
/// The bytes of a code point's length from its first byte (1 for an
/// invalid first byte).
size_t utf8SequenceLength(unsigned char firstByte);
void appendUtf8(std::string &out, char32_t codePoint);
/// `bytes` as UTF-8, each maximal invalid subsequence replaced by one
/// U+FFFD (what Rust's String::from_utf8_lossy does).
std::string lossyUtf8(std::string_view bytes);
/// The text in double quotes with JSON escapes, invalid bytes as \xNN: for
/// error messages.
std::string quote(std::string_view text);

} // namespace rlg::runtime::bpe
