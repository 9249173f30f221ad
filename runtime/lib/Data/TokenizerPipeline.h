// A whole tokenizer.json, and the encode and decode passes through it.
#pragma once

#include "AddedTokens.h"
#include "BpeModel.h"
#include "Decoders.h"
#include "Normalizers.h"
#include "PostProcessors.h"
#include "PreTokenizers.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime::bpe {

class TokenizerPipeline {
public:
  /// Parses tokenizer.json text; `fileName` starts every error message.
  static std::unique_ptr<TokenizerPipeline> parse(std::string_view json,
                                                  const std::string &fileName);

  /// The ids of `text` (valid UTF-8), with the post-processor's special
  /// tokens when `addSpecialTokens`.
  std::vector<int64_t> encode(std::string_view text,
                              bool addSpecialTokens) const;
  /// The text of `ids`: ids without a token are skipped, special added
  /// tokens too when `skipSpecialTokens`. An added token with
  /// normalized=true decodes as the normalizer writes it.
  std::string decode(const std::vector<int64_t> &ids,
                     bool skipSpecialTokens) const;

  std::optional<int64_t> tokenToId(std::string_view token) const;
  /// The largest id of the vocabulary and the added tokens, + 1.
  int64_t vocabSize() const { return size; }
  const AddedTokens &addedTokens() const { return added; }

private:
  /// The parts of a parsed tokenizer.json that has a "model".
  static std::unique_ptr<TokenizerPipeline> build(const JsonFile &file,
                                                  const nlohmann::json &root);
  /// Appends the ids of a piece of text no added token is in.
  void encodePiece(Piece piece, std::vector<int64_t> &ids) const;

  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> preTokenizer;
  std::optional<BpeModel> model;
  std::unique_ptr<PostProcessor> postProcessor;
  std::unique_ptr<Decoder> decoder;
  AddedTokens added;
  int64_t size = 0;
};

} // namespace rlg::runtime::bpe
