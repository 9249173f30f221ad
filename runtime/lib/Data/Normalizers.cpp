// tokenizer.json's normalizers: Unicode forms, case, prepend, replace.
#include "Normalizers.h"

#include "IcuRegex.h"
#include "Replacement.h"
#include "UnicodeText.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace rlg::runtime::bpe {
namespace {

constexpr const char *kSupported =
    "NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Sequence";

class UnicodeNormalizer : public Normalizer {
public:
  explicit UnicodeNormalizer(NormalForm form) : form(form) {}
  void apply(std::string &text) const override { text = normalize(text, form); }

private:
  NormalForm form;
};

class LowercaseNormalizer : public Normalizer {
public:
  void apply(std::string &text) const override { text = lowercase(text); }
};

class PrependNormalizer : public Normalizer {
public:
  explicit PrependNormalizer(std::string prefix) : prefix(std::move(prefix)) {}
  void apply(std::string &text) const override {
    if (!text.empty())
      text.insert(0, prefix);
  }

private:
  std::string prefix;
};

class ReplaceNormalizer : public Normalizer {
public:
  explicit ReplaceNormalizer(Replacement replacement)
      : replacement(std::move(replacement)) {}
  void apply(std::string &text) const override {
    text = replacement.apply(text);
  }

private:
  Replacement replacement;
};

class SequenceNormalizer : public Normalizer {
public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts)
      : parts(std::move(parts)) {}
  void apply(std::string &text) const override {
    for (const auto &part : parts)
      part->apply(text);
  }

private:
  std::vector<std::unique_ptr<Normalizer>> parts;
};

} // namespace

std::unique_ptr<Normalizer> parseNormalizer(const JsonFile &file,
                                            const nlohmann::json &value,
                                            const std::string &path) {
  if (value.is_null())
    return nullptr;
  std::string type = file.type(value, path);
  if (type == "NFC")
    return std::make_unique<UnicodeNormalizer>(NormalForm::NFC);
  if (type == "NFD")
    return std::make_unique<UnicodeNormalizer>(NormalForm::NFD);
  if (type == "NFKC")
    return std::make_unique<UnicodeNormalizer>(NormalForm::NFKC);
  if (type == "NFKD")
    return std::make_unique<UnicodeNormalizer>(NormalForm::NFKD);
  if (type == "Lowercase")
    return std::make_unique<LowercaseNormalizer>();
  if (type == "Prepend")
    return std::make_unique<PrependNormalizer>(
        file.string(value, "prepend", path));
  if (type == "Replace")
    return std::make_unique<ReplaceNormalizer>(
        parseReplacement(file, value, path));
  if (type == "Sequence")
    return std::make_unique<SequenceNormalizer>(parseSequenceParts<Normalizer>(
        file, value, path, "normalizers", parseNormalizer));
  file.unsupported(jsonPath(path, "type"), type, kSupported);
}

} // namespace rlg::runtime::bpe
