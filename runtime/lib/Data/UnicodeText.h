// Unicode properties, case and normal forms, from ICU.
#pragma once

#include <string>
#include <string_view>

namespace rlg::runtime::bpe {

/// Whether the runtime was built with ICU; the tokenizer.json reader needs
/// it and says so otherwise.
bool haveIcu();

/// White_Space (what `\s` matches in the regex engines tokenizer.json
/// patterns are written for).
bool isWhiteSpace(char32_t c);
/// A word character as Rust's regex `\w` sees it: Alphabetic, marks,
/// decimal digits, connector punctuation, join controls.
bool isWordCharacter(char32_t c);
/// A number: general category Nd, Nl or No (Rust's char::is_numeric).
bool isNumeric(char32_t c);

enum class NormalForm { NFC, NFD, NFKC, NFKD };
/// The text in a Unicode normal form.
std::string normalize(std::string_view text, NormalForm form);
/// Each code point replaced by its full lowercase mapping, without context
/// (a final capital sigma becomes σ, as everywhere).
std::string lowercase(std::string_view text);

} // namespace rlg::runtime::bpe
