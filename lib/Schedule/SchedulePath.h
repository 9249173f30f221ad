// Building the JSON paths that name fields in schedule errors (private to
// lib/Schedule).
#pragma once

#include <cstddef>
#include <string>

namespace rlg::schedule {

/// `path.key`, or `path["key"]` when the key is not a plain word.
std::string fieldPath(const std::string &path, const std::string &key);
/// `path[index]`.
std::string indexPath(const std::string &path, size_t index);

} // namespace rlg::schedule
