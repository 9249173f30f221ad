// tokenizer.json's pre-tokenizers: normalized text cut into pieces.
#pragma once

#include "TextPieces.h"
#include "TokenizerJson.h"

#include <memory>
#include <string>
#include <vector>

namespace rlg::runtime::bpe {

class PreTokenizer {
public:
  virtual ~PreTokenizer() = default;
  /// Replaces the pieces by their parts (never empty ones).
  virtual void apply(std::vector<Piece> &pieces) const = 0;
};

/// The pre-tokenizer at `path`, or nullptr for null.
std::unique_ptr<PreTokenizer> parsePreTokenizer(const JsonFile &file,
                                                const nlohmann::json &value,
                                                const std::string &path);

} // namespace rlg::runtime::bpe
