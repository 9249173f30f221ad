// Source buffers and the mapping from byte offsets to line/column positions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlg {

/// A position in a buffer: the buffer id and a byte offset.
struct SourceLoc {
  uint32_t bufferId = 0; // 0 means "no location".
  uint32_t offset = 0;
  bool isValid() const { return bufferId != 0; }
};

/// A half-open byte range [begin, end) inside one buffer.
struct SourceRange {
  SourceLoc begin;
  uint32_t end = 0;
  bool isValid() const { return begin.isValid(); }
  uint32_t length() const {
    return end > begin.offset ? end - begin.offset : 0;
  }
  static SourceRange between(SourceRange first, SourceRange last) {
    return {first.begin, last.end > first.end ? last.end : first.end};
  }
};

/// A line and column, both counted from 1; columns count bytes.
struct LineCol {
  unsigned line = 0;
  unsigned column = 0;
};

/// Owns the text of every file the compiler reads.
class SourceManager {
public:
  /// Adds a buffer and returns its id (never 0).
  uint32_t addBuffer(std::string name, std::string text);
  /// Reads a file; returns nullopt (and sets `error`) when it cannot be read.
  std::optional<uint32_t> addFile(const std::string &path, std::string &error);

  std::string_view text(uint32_t bufferId) const;
  const std::string &name(uint32_t bufferId) const;
  LineCol lineCol(SourceLoc loc) const;
  /// The text of the given line (1-based) without its newline.
  std::string_view lineText(uint32_t bufferId, unsigned line) const;
  std::string_view slice(SourceRange range) const;

private:
  struct Buffer {
    std::string name;
    std::string text;
    std::vector<uint32_t> lineStarts;
  };
  const Buffer &buffer(uint32_t bufferId) const;
  std::vector<std::unique_ptr<Buffer>> buffers_;
};

} // namespace rlg
