// What the runtime asks of a tokenizer: text to ids, ids to text, and the
// ids of padding and of the end of a sequence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlg::runtime {

/// A tokenizer the runtime can train and generate with. CharTokenizer (the
/// built-in tasks' 64 ids) and BpeTokenizer (a Hugging Face tokenizer.json)
/// implement it.
class Tokenizer {
public:
  virtual ~Tokenizer() = default;

  /// The number of ids (the largest id + 1).
  virtual int64_t vocabSize() const = 0;
  /// The id that fills padded positions; models never attend to it.
  virtual int64_t padId() const = 0;
  /// The id that ends a response (generation stops at it).
  virtual int64_t eosId() const = 0;

  /// A prompt as the models see it (with a leading BOS when the tokenizer
  /// uses one). Throws std::invalid_argument for text it cannot encode.
  virtual std::vector<int64_t> encodePrompt(std::string_view text) const = 0;
  /// A response's ids, followed by EOS when addEos. Throws
  /// std::invalid_argument for text it cannot encode.
  virtual std::vector<int64_t> encodeResponse(std::string_view text,
                                              bool addEos) const = 0;
  /// The text of generated ids: padding and special tokens are skipped, and
  /// the text ends at the first EOS when stopAtEos. Throws
  /// std::invalid_argument for a negative id; ids at or past vocabSize()
  /// are an error for CharTokenizer and skipped by BpeTokenizer (a model's
  /// vocabulary may be padded beyond its tokenizer's).
  virtual std::string decode(const std::vector<int64_t> &ids,
                             bool stopAtEos = true) const = 0;

  /// Throws std::invalid_argument when a model's vocabulary (`modelVocab`
  /// rows of embeddings) is smaller than the tokenizer's.
  virtual void checkFitsVocab(int64_t modelVocab) const = 0;
};

} // namespace rlg::runtime
