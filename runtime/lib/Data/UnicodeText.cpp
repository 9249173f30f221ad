// Unicode properties, case and normal forms, from ICU.
#include "UnicodeText.h"

#include "Utf8.h"

#include <stdexcept>

#ifdef RLG_HAVE_ICU
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#endif

namespace rlg::runtime::bpe {

#ifdef RLG_HAVE_ICU

bool haveIcu() { return true; }

bool isWhiteSpace(char32_t c) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE);
}

bool isWordCharacter(char32_t c) {
  UChar32 code = static_cast<UChar32>(c);
  if (u_hasBinaryProperty(code, UCHAR_ALPHABETIC) ||
      u_hasBinaryProperty(code, UCHAR_JOIN_CONTROL))
    return true;
  int32_t mask = U_GET_GC_MASK(code);
  return (mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0;
}

bool isNumeric(char32_t c) {
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0;
}

std::string normalize(std::string_view text, NormalForm form) {
  bool ascii = true;
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) // ASCII is in every normal form
    return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2 *normalizer = nullptr;
  switch (form) {
  case NormalForm::NFC:
    normalizer = icu::Normalizer2::getNFCInstance(status);
    break;
  case NormalForm::NFD:
    normalizer = icu::Normalizer2::getNFDInstance(status);
    break;
  case NormalForm::NFKC:
    normalizer = icu::Normalizer2::getNFKCInstance(status);
    break;
  case NormalForm::NFKD:
    normalizer = icu::Normalizer2::getNFKDInstance(status);
    break;
  }
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normalizer: ") +
                             u_errorName(status));
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString result = normalizer->normalize(source, status);
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normalizer: ") +
                             u_errorName(status));
  std::string out;
  result.toUTF8String(out);
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(
          byte >= 'A' && byte <= 'Z' ? byte - 'A' + 'a' : byte));
      ++pos;
      continue;
    }
    size_t start = pos;
    char32_t c;
    if (!nextCodePoint(text, pos, c)) { // kept as it is
      out.push_back(text[pos++]);
      continue;
    }
    // One code point at a time, so no context-dependent mapping applies.
    UChar source[2];
    int32_t sourceLength = 0;
    U16_APPEND_UNSAFE(source, sourceLength, static_cast<UChar32>(c));
    UChar lowered[16];
    UErrorCode status = U_ZERO_ERROR;
    int32_t length =
        u_strToLower(lowered, 16, source, sourceLength, "", &status);
    if (U_FAILURE(status) || length > 16) {
      out.append(text.substr(start, pos - start));
      continue;
    }
    icu::UnicodeString(lowered, length).toUTF8String(out);
  }
  return out;
}

#else // !RLG_HAVE_ICU

namespace {
[[noreturn]] void noIcu() {
  throw std::invalid_argument(
      "the runtime was built without ICU, which tokenizer.json files need");
}
} // namespace

bool haveIcu() { return false; }
bool isWhiteSpace(char32_t) { noIcu(); }
bool isWordCharacter(char32_t) { noIcu(); }
bool isNumeric(char32_t) { noIcu(); }
std::string normalize(std::string_view, NormalForm) { noIcu(); }
std::string lowercase(std::string_view) { noIcu(); }

#endif

} // namespace rlg::runtime::bpe
