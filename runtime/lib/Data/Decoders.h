// tokenizer.json's decoders: from tokens back to text.
#pragma once

#include "TokenizerJson.h"

#include <memory>
#include <string>
#include <vector>

namespace rlg::runtime::bpe {

class Decoder {
public:
  virtual ~Decoder() = default;
  /// Rewrites the token strings; the text is their concatenation.
  virtual void apply(std::vector<std::string> &tokens) const = 0;
};

/// The decoder at `path`, or nullptr for null (tokens joined by spaces).
std::unique_ptr<Decoder> parseDecoder(const JsonFile &file,
                                      const nlohmann::json &value,
                                      const std::string &path);

} // namespace rlg::runtime::bpe
