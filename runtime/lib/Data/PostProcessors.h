// tokenizer.json's post-processors: the special tokens around a text.
#pragma once

#include "TokenizerJson.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rlg::runtime::bpe {

class PostProcessor {
public:
  virtual ~PostProcessor() = default;
  /// Adds the special tokens of a single sequence (encode with
  /// add_special_tokens).
  virtual void apply(std::vector<int64_t> &ids) const = 0;
  /// The ids it may add, for range checks.
  virtual std::vector<int64_t> specialIds() const = 0;
};

/// The post-processor at `path`, or nullptr for null.
std::unique_ptr<PostProcessor> parsePostProcessor(const JsonFile &file,
                                                  const nlohmann::json &value,
                                                  const std::string &path);

} // namespace rlg::runtime::bpe
