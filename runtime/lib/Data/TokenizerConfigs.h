// EOS, padding and BOS ids from a model folder's config files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace rlg::runtime::bpe {

class TokenizerPipeline;

struct SpecialTokenIds {
  std::optional<int64_t> eos;
  std::optional<int64_t> pad;
  std::optional<int64_t> bos;
};

/// Reads the files of `folder` that exist. eos: tokenizer_config's
/// eos_token, else generation_config's eos_token_id, else config's (an id
/// or the first of a list); pad: tokenizer_config's pad_token; bos like eos.
/// Throws std::invalid_argument naming the file and field for a token that
/// is not in the tokenizer or an id out of range.
SpecialTokenIds readSpecialTokenIds(const std::filesystem::path &folder,
                                    const TokenizerPipeline &pipeline);

/// The whole file; throws std::invalid_argument when it cannot be read.
std::string readTextFile(const std::filesystem::path &path);

} // namespace rlg::runtime::bpe
