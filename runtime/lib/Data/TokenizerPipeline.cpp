// A whole tokenizer.json, and the encode and decode passes through it.
#include "TokenizerPipeline.h"

#include "UnicodeText.h"
#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace rlg::runtime::bpe {
namespace {

const nlohmann::json &fieldOrNull(const JsonFile &file,
                                  const nlohmann::json &root, const char *key) {
  static const nlohmann::json null;
  const nlohmann::json *value = file.find(root, key);
  return value ? *value : null;
}

} // namespace

std::unique_ptr<TokenizerPipeline>
TokenizerPipeline::parse(std::string_view text, const std::string &fileName) {
  if (!haveIcu())
    throw std::invalid_argument(
        fileName + ": this runtime was built without ICU, which reading "
                   "tokenizer.json needs (install libicu-dev and rebuild)");
  JsonFile file(fileName);
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error &e) {
    throw std::invalid_argument(fileName + ": not valid JSON: " + e.what());
  }
  if (!root.is_object())
    throw std::invalid_argument(fileName + ": must hold a JSON object, not " +
                                describeJsonType(root));
  const nlohmann::json *model = file.find(root, "model");
  if (!model || model->is_null())
    throw std::invalid_argument(fileName +
                                ": has no \"model\" (a tokenizer.json of the "
                                "Hugging Face tokenizers library has one)");

  try {
    return build(file, root);
  } catch (const nlohmann::json::exception &e) { // a check missed a type
    throw std::invalid_argument(fileName + ": " + e.what());
  }
}

std::unique_ptr<TokenizerPipeline>
TokenizerPipeline::build(const JsonFile &file, const nlohmann::json &root) {
  const nlohmann::json *model = file.find(root, "model");
  auto pipeline = std::make_unique<TokenizerPipeline>();
  pipeline->normalizer = parseNormalizer(
      file, fieldOrNull(file, root, "normalizer"), "normalizer");
  pipeline->preTokenizer = parsePreTokenizer(
      file, fieldOrNull(file, root, "pre_tokenizer"), "pre_tokenizer");
  pipeline->model.emplace(BpeModel::parse(file, *model, "model"));
  pipeline->postProcessor = parsePostProcessor(
      file, fieldOrNull(file, root, "post_processor"), "post_processor");
  pipeline->decoder =
      parseDecoder(file, fieldOrNull(file, root, "decoder"), "decoder");
  pipeline->added =
      AddedTokens::parse(file, fieldOrNull(file, root, "added_tokens"),
                         "added_tokens", pipeline->normalizer.get());

  // An added token is the vocabulary's token of its id, or a new id.
  const BpeModel &bpe = *pipeline->model;
  int64_t largest = bpe.maxId();
  const std::vector<AddedToken> &tokens = pipeline->added.all();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const AddedToken &token = tokens[i];
    std::string path = jsonPath("added_tokens", i);
    if (auto id = bpe.tokenToId(token.content); id && *id != token.id)
      file.fail(jsonPath(path, "id"),
                std::to_string(token.id) + " differs from the id of " +
                    quote(token.content) + " in model.vocab (" +
                    std::to_string(*id) + ")");
    if (const std::string *other = bpe.idToToken(token.id);
        other && *other != token.content)
      file.fail(jsonPath(path, "id"), std::to_string(token.id) +
                                          " is the id of " + quote(*other) +
                                          " in model.vocab");
    largest = std::max(largest, token.id);
  }
  pipeline->size = largest + 1;
  if (pipeline->postProcessor)
    for (int64_t id : pipeline->postProcessor->specialIds())
      if (id >= pipeline->size)
        file.fail("post_processor", "adds id " + std::to_string(id) +
                                        ", outside the vocabulary [0, " +
                                        std::to_string(pipeline->size) + ")");
  return pipeline;
}

void TokenizerPipeline::encodePiece(Piece piece,
                                    std::vector<int64_t> &ids) const {
  if (piece.text.empty())
    return;
  if (!preTokenizer) {
    model->tokenize(piece.text, ids);
    return;
  }
  std::vector<Piece> pieces;
  pieces.push_back(std::move(piece));
  preTokenizer->apply(pieces);
  for (const Piece &part : pieces)
    model->tokenize(part.text, ids);
}

std::vector<int64_t> TokenizerPipeline::encode(std::string_view text,
                                               bool addSpecialTokens) const {
  if (auto invalid = findInvalidUtf8(text))
    throw std::invalid_argument("the text is not valid UTF-8 (byte " +
                                std::to_string(*invalid) + ")");
  std::vector<int64_t> ids;
  ids.reserve(text.size() / 3 + 4);
  for (const Segment &segment : added.split(text, false)) {
    if (segment.id >= 0) {
      ids.push_back(segment.id);
      continue;
    }
    if (segment.end <= segment.begin)
      continue;
    std::string normalized(
        text.substr(segment.begin, segment.end - segment.begin));
    if (normalizer)
      normalizer->apply(normalized);
    bool atStart = segment.begin == 0;
    if (!added.hasNormalizedTokens()) {
      encodePiece({std::move(normalized), atStart}, ids);
      continue;
    }
    for (const Segment &part : added.split(normalized, true)) {
      if (part.id >= 0)
        ids.push_back(part.id);
      else if (part.end > part.begin)
        encodePiece({normalized.substr(part.begin, part.end - part.begin),
                     atStart && part.begin == 0},
                    ids);
    }
  }
  if (addSpecialTokens && postProcessor)
    postProcessor->apply(ids);
  return ids;
}

std::string TokenizerPipeline::decode(const std::vector<int64_t> &ids,
                                      bool skipSpecialTokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int64_t id : ids) {
    const std::string *token = nullptr;
    if (const AddedToken *addedToken = added.findById(id))
      token = &addedToken->decoded;
    else
      token = model->idToToken(id);
    if (!token || (skipSpecialTokens && added.isSpecial(*token)))
      continue;
    tokens.push_back(*token);
  }
  if (!decoder) {
    std::string text;
    for (size_t i = 0; i < tokens.size(); ++i)
      text += (i ? " " : "") + tokens[i];
    return text;
  }
  decoder->apply(tokens);
  std::string text;
  for (const std::string &token : tokens)
    text += token;
  return text;
}

std::optional<int64_t>
TokenizerPipeline::tokenToId(std::string_view token) const {
  if (const AddedToken *addedToken = added.findByContent(token))
    return addedToken->id;
  return model->tokenToId(token);
}

} // namespace rlg::runtime::bpe
