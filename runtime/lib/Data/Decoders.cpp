// tokenizer.json's decoders: from tokens back to text.
#include "Decoders.h"

#include "ByteLevelTable.h"
#include "Replacement.h"
#include "Utf8.h"

#include <nlohmann/json.hpp>

namespace rlg::runtime::bpe {
namespace {

constexpr const char *kSupported =
    "ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, Sequence";

/// Byte-level code points back to bytes, all tokens into one UTF-8 string
/// (broken sequences become U+FFFD). A token with a code point outside the
/// alphabet (an added token such as "<|im_start|> ") is taken as it is.
class ByteLevelDecoder : public Decoder {
public:
  void apply(std::vector<std::string> &tokens) const override {
    const ByteLevelTable &table = ByteLevelTable::get();
    std::string bytes;
    std::string tokenBytes;
    for (const std::string &token : tokens) {
      tokenBytes.clear();
      bool mapped = true;
      size_t pos = 0;
      while (pos < token.size()) {
        char32_t c;
        int byte = nextCodePoint(token, pos, c) ? table.byteOf(c) : -1;
        if (byte < 0) {
          mapped = false;
          break;
        }
        tokenBytes.push_back(static_cast<char>(byte));
      }
      bytes += mapped ? tokenBytes : token;
    }
    tokens.assign(1, lossyUtf8(bytes));
  }
};

class MetaspaceDecoder : public Decoder {
public:
  MetaspaceDecoder(std::string replacement, bool dropFirst)
      : replacement(std::move(replacement)), dropFirst(dropFirst) {}
  void apply(std::vector<std::string> &tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      const std::string &token = tokens[i];
      std::string out;
      out.reserve(token.size());
      size_t pos = 0;
      while (pos < token.size()) {
        if (token.compare(pos, replacement.size(), replacement) == 0) {
          // Every replacement in the first token goes, as the reference
          // does; elsewhere it is a space.
          if (!(i == 0 && dropFirst))
            out.push_back(' ');
          pos += replacement.size();
          continue;
        }
        out.push_back(token[pos++]);
      }
      tokens[i] = std::move(out);
    }
  }

private:
  std::string replacement;
  bool dropFirst;
};

/// Runs of <0xNN> tokens become their bytes when those are UTF-8, else one
/// U+FFFD per byte.
class ByteFallbackDecoder : public Decoder {
public:
  void apply(std::vector<std::string> &tokens) const override {
    std::vector<std::string> out;
    out.reserve(tokens.size());
    std::string pending;
    size_t pendingCount = 0;
    auto flush = [&] {
      if (pendingCount == 0)
        return;
      if (!findInvalidUtf8(pending))
        out.push_back(pending);
      else
        for (size_t i = 0; i < pendingCount; ++i)
          out.push_back("\xEF\xBF\xBD");
      pending.clear();
      pendingCount = 0;
    };
    for (std::string &token : tokens) {
      int byte = byteOf(token);
      if (byte >= 0) {
        pending.push_back(static_cast<char>(byte));
        ++pendingCount;
        continue;
      }
      flush();
      out.push_back(std::move(token));
    }
    flush();
    tokens = std::move(out);
  }

private:
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    return -1;
  }
  /// The byte of "<0xNN>", or -1.
  static int byteOf(const std::string &token) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>')
      return -1;
    int high = hexDigit(token[3]);
    int low = hexDigit(token[4]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }
};

class FuseDecoder : public Decoder {
public:
  void apply(std::vector<std::string> &tokens) const override {
    std::string all;
    for (const std::string &token : tokens)
      all += token;
    tokens.assign(1, std::move(all));
  }
};

/// Up to `start` leading and `stop` trailing copies of a character are
/// removed from each token.
class StripDecoder : public Decoder {
public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content(std::move(content)), start(start), stop(stop) {}
  void apply(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      size_t begin = 0;
      for (size_t i = 0; i < start && begin < token.size(); ++i) {
        if (token.compare(begin, content.size(), content) != 0)
          break;
        begin += content.size();
      }
      size_t end = token.size();
      for (size_t i = 0; i < stop && end > begin; ++i) {
        if (end < content.size() ||
            token.compare(end - content.size(), content.size(), content) != 0)
          break;
        end -= content.size();
      }
      token = token.substr(begin, end - begin);
    }
  }

private:
  std::string content;
  size_t start;
  size_t stop;
};

class ReplaceDecoder : public Decoder {
public:
  explicit ReplaceDecoder(Replacement replacement)
      : replacement(std::move(replacement)) {}
  void apply(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens)
      token = replacement.apply(token);
  }

private:
  Replacement replacement;
};

class SequenceDecoder : public Decoder {
public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts)
      : parts(std::move(parts)) {}
  void apply(std::vector<std::string> &tokens) const override {
    for (const auto &part : parts)
      part->apply(tokens);
  }

private:
  std::vector<std::unique_ptr<Decoder>> parts;
};

} // namespace

std::unique_ptr<Decoder> parseDecoder(const JsonFile &file,
                                      const nlohmann::json &value,
                                      const std::string &path) {
  if (value.is_null())
    return nullptr;
  std::string type = file.type(value, path);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelDecoder>();
  if (type == "Metaspace") {
    std::string replacement = file.character(value, "replacement", path);
    std::optional<std::string> scheme =
        file.optionalString(value, "prepend_scheme", path);
    bool addPrefix = file.boolean(value, "add_prefix_space", path, true);
    bool never = !addPrefix || (scheme && *scheme == "never");
    if (scheme && *scheme != "always" && *scheme != "first" &&
        *scheme != "never")
      file.unsupported(jsonPath(path, "prepend_scheme"), *scheme,
                       "always, first, never");
    return std::make_unique<MetaspaceDecoder>(replacement, !never);
  }
  if (type == "ByteFallback")
    return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse")
    return std::make_unique<FuseDecoder>();
  if (type == "Strip")
    return std::make_unique<StripDecoder>(
        file.character(value, "content", path),
        static_cast<size_t>(file.count(value, "start", path, 0)),
        static_cast<size_t>(file.count(value, "stop", path, 0)));
  if (type == "Replace")
    return std::make_unique<ReplaceDecoder>(
        parseReplacement(file, value, path));
  if (type == "Sequence")
    return std::make_unique<SequenceDecoder>(parseSequenceParts<Decoder>(
        file, value, path, "decoders", parseDecoder));
  file.unsupported(jsonPath(path, "type"), type, kSupported);
}

} // namespace rlg::runtime::bpe
