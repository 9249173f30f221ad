// BpeTokenizer: a Hugging Face tokenizer.json as the runtime's Tokenizer.
#include "rlg/Runtime/Data/BpeTokenizer.h"

#include "TokenizerConfigs.h"
#include "TokenizerPipeline.h"

#include <stdexcept>

namespace rlg::runtime {

std::unique_ptr<BpeTokenizer>
BpeTokenizer::load(const std::filesystem::path &fileOrDir, bool requireEos) {
  std::error_code ec;
  std::filesystem::path file = fileOrDir;
  std::filesystem::path folder;
  if (std::filesystem::is_directory(fileOrDir, ec)) {
    folder = fileOrDir;
    file = fileOrDir / "tokenizer.json";
    if (!std::filesystem::exists(file, ec))
      throw std::invalid_argument(
          fileOrDir.string() +
          ": the folder has no tokenizer.json (a Hugging Face model folder "
          "has one beside config.json)");
  } else if (!std::filesystem::exists(fileOrDir, ec)) {
    throw std::invalid_argument(fileOrDir.string() +
                                ": no such file or folder");
  } else if (fileOrDir.filename() == "tokenizer.json") {
    folder = fileOrDir.parent_path();
    if (folder.empty())
      folder = ".";
  }

  std::unique_ptr<BpeTokenizer> tokenizer(new BpeTokenizer());
  tokenizer->source = file.string();
  tokenizer->pipeline =
      bpe::TokenizerPipeline::parse(bpe::readTextFile(file), file.string());
  bpe::SpecialTokenIds special;
  if (!folder.empty())
    special = bpe::readSpecialTokenIds(folder, *tokenizer->pipeline);
  if (!special.eos && requireEos)
    throw std::invalid_argument(
        file.string() +
        ": no end-of-sequence token: give tokenizer_config.json an "
        "\"eos_token\", or generation_config.json or config.json an "
        "\"eos_token_id\", in the tokenizer's folder");
  tokenizer->eos = special.eos.value_or(-1);
  tokenizer->pad = special.pad.value_or(tokenizer->eos);
  tokenizer->bos = special.bos;
  return tokenizer;
}

BpeTokenizer::~BpeTokenizer() = default;

int64_t BpeTokenizer::vocabSize() const { return pipeline->vocabSize(); }

std::vector<int64_t> BpeTokenizer::encode(std::string_view text,
                                          bool addSpecialTokens) const {
  return pipeline->encode(text, addSpecialTokens);
}

void BpeTokenizer::checkId(int64_t id) const {
  if (id < 0 || id >= vocabSize())
    throw std::invalid_argument(source + ": id " + std::to_string(id) +
                                " is outside the vocabulary [0, " +
                                std::to_string(vocabSize()) + ")");
}

std::string BpeTokenizer::decodeIds(const std::vector<int64_t> &ids,
                                    bool skipSpecialTokens) const {
  for (int64_t id : ids)
    checkId(id);
  return pipeline->decode(ids, skipSpecialTokens);
}

std::optional<int64_t> BpeTokenizer::tokenToId(std::string_view token) const {
  return pipeline->tokenToId(token);
}

std::vector<int64_t> BpeTokenizer::encodePrompt(std::string_view text) const {
  return encode(text, /*addSpecialTokens=*/true);
}

std::vector<int64_t> BpeTokenizer::encodeResponse(std::string_view text,
                                                  bool addEos) const {
  std::vector<int64_t> ids = encode(text, /*addSpecialTokens=*/false);
  if (addEos) {
    if (eos < 0)
      throw std::invalid_argument(source +
                                  ": the tokenizer has no end-of-sequence "
                                  "token to end a response with");
    ids.push_back(eos);
  }
  return ids;
}

std::string BpeTokenizer::decode(const std::vector<int64_t> &ids,
                                 bool stopAtEos) const {
  std::vector<int64_t> kept;
  kept.reserve(ids.size());
  for (int64_t id : ids) {
    // A model's vocabulary is often padded beyond the tokenizer's (Qwen2.5:
    // 151936 rows, 151665 tokens); a sampled padding row has no text.
    if (id >= vocabSize())
      continue;
    checkId(id);
    if (id == eos && stopAtEos)
      break;
    if (id != pad)
      kept.push_back(id);
  }
  return pipeline->decode(kept, /*skipSpecialTokens=*/true);
}

void BpeTokenizer::checkFitsVocab(int64_t modelVocab) const {
  if (modelVocab < vocabSize())
    throw std::invalid_argument(source + ": the tokenizer has " +
                                std::to_string(vocabSize()) +
                                " ids, but the model's vocabulary has only " +
                                std::to_string(modelVocab) + " rows");
}

} // namespace rlg::runtime
