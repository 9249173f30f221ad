// JSON paths for schedule errors: `steps[0].ops[3].layout.tp`.
#include "SchedulePath.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace rlg::schedule {

std::string fieldPath(const std::string &path, const std::string &key) {
  bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (plain)
    return path.empty() ? key : path + "." + key;
  std::string quoted = "\"";
  for (char c : key) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      quoted += escape;
    } else {
      quoted += c;
    }
  }
  return path + "[" + quoted + "\"]";
}

std::string indexPath(const std::string &path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

} // namespace rlg::schedule
