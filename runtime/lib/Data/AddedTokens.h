// tokenizer.json's added_tokens: the tokens the input is split on first.
#pragma once

#include "TokenizerJson.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rlg::runtime::bpe {

class Normalizer;

struct AddedToken {
  int64_t id = 0;
  std::string content;
  bool special = false;
  bool singleWord = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = true;
  /// What decoding gives for it: the content, or for a token with
  /// normalized=true the content as the normalizer writes it.
  std::string decoded;
};

/// A part of a text: an added token's id, or text (id -1).
struct Segment {
  size_t begin = 0;
  size_t end = 0;
  int64_t id = -1;
};

class AddedTokens {
public:
  /// Reads "added_tokens" (an array, or null). Tokens with normalized=true
  /// are matched in normalized text, as the normalizer writes them.
  static AddedTokens parse(const JsonFile &file, const nlohmann::json &value,
                           const std::string &path,
                           const Normalizer *normalizer);

  /// Splits `text` on the added tokens (leftmost, then longest match;
  /// single_word, lstrip and rstrip as the reference applies them); the
  /// tokens with normalized=false when `normalizedTokens` is false, the
  /// others otherwise. Text segments may be empty.
  std::vector<Segment> split(std::string_view text,
                             bool normalizedTokens) const;
  bool hasNormalizedTokens() const { return !normalizedTrie.empty(); }

  const AddedToken *findById(int64_t id) const;
  const AddedToken *findByContent(std::string_view content) const;
  /// Whether some special added token has this content.
  bool isSpecial(std::string_view content) const;
  const std::vector<AddedToken> &all() const { return tokens; }

private:
  /// Byte trie of the patterns; each end node names a token.
  class Trie {
  public:
    Trie();
    void insert(std::string_view pattern, int32_t token);
    bool empty() const { return nodes.size() == 1; }
    /// The longest pattern starting at `pos`: its token (-1 for none) and
    /// its end.
    int32_t longest(std::string_view text, size_t pos, size_t &end) const;

  private:
    struct Node {
      std::vector<std::pair<unsigned char, int32_t>> children;
      int32_t token = -1;
    };
    std::vector<Node> nodes;
    std::array<int32_t, 256> rootChildren;
  };

  std::vector<AddedToken> tokens;
  std::unordered_map<int64_t, size_t> byId;
  std::unordered_map<std::string, size_t> byContent;
  Trie rawTrie;
  Trie normalizedTrie;
};

} // namespace rlg::runtime::bpe
