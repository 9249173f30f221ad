// tokenizer.json's BPE model: vocabulary, merges by rank, byte fallback.
#pragma once

#include "TokenizerJson.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rlg::runtime::bpe {

class BpeModel {
public:
  /// Reads the model at `path` ("model"); throws for an unsupported type or
  /// option, a merge naming a token not in the vocabulary, duplicate ids.
  static BpeModel parse(const JsonFile &file, const nlohmann::json &value,
                        const std::string &path);

  /// Appends the ids of one pre-tokenized piece.
  void tokenize(std::string_view word, std::vector<int64_t> &ids) const;

  std::optional<int64_t> tokenToId(std::string_view token) const;
  /// The token of an id, or nullptr when the vocabulary has none.
  const std::string *idToToken(int64_t id) const;
  /// The largest id, -1 for an empty vocabulary.
  int64_t maxId() const { return largestId; }

private:
  struct MergeTarget {
    int32_t rank;
    int32_t newId;
  };
  struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    int32_t length; // bytes; 0 once merged into its left neighbour
  };

  static uint64_t pairKey(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
  }
  const MergeTarget *findMerge(int32_t left, int32_t right) const;
  /// The symbols of a word's characters (byte fallback, unknown token).
  void initialSymbols(std::string_view word,
                      std::vector<Symbol> &symbols) const;
  /// Merges pairs, lowest rank first, then leftmost.
  void mergeAll(std::vector<Symbol> &symbols) const;

  std::unordered_map<std::string, int32_t> vocab;
  std::unordered_map<int32_t, std::string> tokens;
  std::unordered_map<char32_t, int32_t> charIds; // one-code-point tokens
  std::unordered_map<uint64_t, MergeTarget> merges;
  std::array<int32_t, 256> byteIds{}; // <0xNN> tokens, -1 when missing
  int64_t largestId = -1;
  int32_t unkId = -1;
  bool fuseUnk = false;
  bool byteFallback = false;
  bool ignoreMerges = false;
};

} // namespace rlg::runtime::bpe
