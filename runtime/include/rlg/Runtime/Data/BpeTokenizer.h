// BpeTokenizer: a Hugging Face tokenizer.json as the runtime's Tokenizer.
#pragma once

#include "rlg/Runtime/Data/Tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime {

namespace bpe {
class TokenizerPipeline;
} // namespace bpe

/// Encodes and decodes as the Hugging Face `tokenizers` library does with
/// the same tokenizer.json (docs/tokenizers.md lists the supported parts).
/// Thread-safe: encoding and decoding do not change it.
class BpeTokenizer : public Tokenizer {
public:
  /// Reads a tokenizer.json file, or a folder holding tokenizer.json and
  /// optionally tokenizer_config.json, generation_config.json and
  /// config.json (next to a file named tokenizer.json, those are read
  /// too). EOS: tokenizer_config's eos_token, else generation_config's or
  /// config's eos_token_id (the first of a list); padding: tokenizer_config's
  /// pad_token, else EOS. Throws std::invalid_argument naming the file and
  /// the JSON path for unreadable or unsupported files, and when no EOS is
  /// found unless `requireEos` is false (eosId() and padId() are then -1).
  static std::unique_ptr<BpeTokenizer>
  load(const std::filesystem::path &fileOrDir, bool requireEos = true);

  ~BpeTokenizer() override;

  /// What `tokenizers`' encode(text, add_special_tokens).ids gives. Throws
  /// std::invalid_argument for text that is not UTF-8.
  std::vector<int64_t> encode(std::string_view text,
                              bool addSpecialTokens) const;
  /// What `tokenizers`' decode(ids, skip_special_tokens) gives. Throws
  /// std::invalid_argument for an id outside [0, vocabSize()); ids inside
  /// without a token are skipped.
  std::string decodeIds(const std::vector<int64_t> &ids,
                        bool skipSpecialTokens) const;
  /// The id of a token (added tokens first, then the model's vocabulary).
  std::optional<int64_t> tokenToId(std::string_view token) const;
  /// BOS: tokenizer_config's bos_token, else generation_config's or
  /// config's bos_token_id; none when no file names one.
  std::optional<int64_t> bosId() const { return bos; }

  int64_t vocabSize() const override;
  int64_t padId() const override { return pad; }
  int64_t eosId() const override { return eos; }
  /// encode(text, true): the post-processor's special tokens (Llama 3's
  /// <|begin_of_text|>), none for Qwen2.
  std::vector<int64_t> encodePrompt(std::string_view text) const override;
  /// encode(text, false), then EOS when addEos.
  std::vector<int64_t> encodeResponse(std::string_view text,
                                      bool addEos) const override;
  /// decodeIds without special tokens and padding, up to the first EOS
  /// when stopAtEos. Ids past the tokenizer's (rows a model's vocabulary is
  /// padded with) have no text and are skipped.
  std::string decode(const std::vector<int64_t> &ids,
                     bool stopAtEos = true) const override;
  void checkFitsVocab(int64_t modelVocab) const override;

private:
  BpeTokenizer() = default;
  /// Throws std::invalid_argument for an id outside [0, vocabSize()).
  void checkId(int64_t id) const;

  std::unique_ptr<bpe::TokenizerPipeline> pipeline;
  int64_t eos = -1;
  int64_t pad = -1;
  std::optional<int64_t> bos;
  std::string source; // the file, for messages
};

} // namespace rlg::runtime
