// Byte encodings for run-state files: FNV-1a 64 checksums, hex and base64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rlg::runtime {

/// FNV-1a 64's offset basis: the checksum of no bytes.
inline constexpr uint64_t kFnv1a64Basis = 0xcbf29ce484222325ULL;

/// FNV-1a 64 of `size` bytes, continuing from `hash` (pass the previous
/// result to checksum a file in pieces).
uint64_t fnv1a64(const void *data, size_t size, uint64_t hash = kFnv1a64Basis);
inline uint64_t fnv1a64(std::string_view bytes) {
  return fnv1a64(bytes.data(), bytes.size());
}

/// 16 lower-case hex digits, e.g. "cbf29ce484222325".
std::string hex64(uint64_t value);

/// Standard base64 (RFC 4648, with '=' padding).
std::string base64Encode(std::string_view bytes);
/// The bytes, or nullopt when `text` is not valid padded base64.
std::optional<std::string> base64Decode(std::string_view text);

} // namespace rlg::runtime
