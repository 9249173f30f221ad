// Source buffers and offset -> line/column mapping.
#include "rlg/Support/SourceManager.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rlg {

uint32_t SourceManager::addBuffer(std::string name, std::string text) {
  auto buf = std::make_unique<Buffer>();
  buf->name = std::move(name);
  buf->text = std::move(text);
  buf->lineStarts.push_back(0);
  for (uint32_t i = 0; i < buf->text.size(); ++i)
    if (buf->text[i] == '\n')
      buf->lineStarts.push_back(i + 1);
  buffers_.push_back(std::move(buf));
  return static_cast<uint32_t>(buffers_.size());
}

std::optional<uint32_t> SourceManager::addFile(const std::string &path,
                                               std::string &error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory, not a file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot open file: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = "cannot read file";
    return std::nullopt;
  }
  return addBuffer(path, ss.str());
}

const SourceManager::Buffer &SourceManager::buffer(uint32_t bufferId) const {
  assert(bufferId >= 1 && bufferId <= buffers_.size() && "bad buffer id");
  return *buffers_[bufferId - 1];
}

std::string_view SourceManager::text(uint32_t bufferId) const {
  return buffer(bufferId).text;
}

const std::string &SourceManager::name(uint32_t bufferId) const {
  return buffer(bufferId).name;
}

LineCol SourceManager::lineCol(SourceLoc loc) const {
  if (!loc.isValid())
    return {};
  const Buffer &buf = buffer(loc.bufferId);
  uint32_t offset = std::min<uint32_t>(loc.offset, buf.text.size());
  auto it =
      std::upper_bound(buf.lineStarts.begin(), buf.lineStarts.end(), offset);
  unsigned line = static_cast<unsigned>(it - buf.lineStarts.begin());
  return {line, offset - buf.lineStarts[line - 1] + 1};
}

std::string_view SourceManager::lineText(uint32_t bufferId,
                                         unsigned line) const {
  const Buffer &buf = buffer(bufferId);
  if (line == 0 || line > buf.lineStarts.size())
    return {};
  uint32_t begin = buf.lineStarts[line - 1];
  uint32_t end = line < buf.lineStarts.size()
                     ? buf.lineStarts[line] - 1
                     : static_cast<uint32_t>(buf.text.size());
  std::string_view text = std::string_view(buf.text).substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r')
    text.remove_suffix(1);
  return text;
}

std::string_view SourceManager::slice(SourceRange range) const {
  if (!range.isValid())
    return {};
  std::string_view text = this->text(range.begin.bufferId);
  uint32_t begin = std::min<uint32_t>(range.begin.offset, text.size());
  uint32_t end = std::min<uint32_t>(std::max(range.end, begin), text.size());
  return text.substr(begin, end - begin);
}

} // namespace rlg
