// tokenizer.json's normalizers: Unicode forms, case, prepend, replace.
#pragma once

#include "TokenizerJson.h"

#include <memory>
#include <string>

namespace rlg::runtime::bpe {

class Normalizer {
public:
  virtual ~Normalizer() = default;
  /// Rewrites a piece of text (never one of the added tokens).
  virtual void apply(std::string &text) const = 0;
};

/// The normalizer at `path`, or nullptr for null.
std::unique_ptr<Normalizer> parseNormalizer(const JsonFile &file,
                                            const nlohmann::json &value,
                                            const std::string &path);

} // namespace rlg::runtime::bpe
