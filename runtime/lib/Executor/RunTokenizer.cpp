// The tokenizer a run encodes its text with.
#include "rlg/Runtime/Executor/RunTokenizer.h"
#include "rlg/Runtime/Data/BpeTokenizer.h"
#include "rlg/Runtime/Data/CharTokenizer.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <filesystem>
#include <fstream>

namespace rlg::runtime {
namespace {

namespace fs = std::filesystem;

std::string fileText(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

std::unique_ptr<const Tokenizer>
makeRunTokenizer(const schedule::Schedule &schedule,
                 const std::string &schedulePath) {
  const schedule::Model *first = nullptr;
  for (const schedule::Model &model : schedule.models) {
    if (model.hf.empty())
      continue;
    if (!first) {
      first = &model;
      continue;
    }
    // Every Hugging Face model must read and write the same ids.
    fs::path a = fs::path(first->hf) / "tokenizer.json";
    fs::path b = fs::path(model.hf) / "tokenizer.json";
    if (fs::exists(a) && fs::exists(b) && fileText(a) != fileText(b))
      throw RunError("models '" + first->name + "' and '" + model.name +
                         "' have different tokenizers (" + a.string() +
                         " and " + b.string() + ")",
                     "a run encodes every prompt and response with one "
                     "tokenizer: start the models from checkpoints of one "
                     "model family");
  }
  if (!first)
    return std::make_unique<CharTokenizer>();
  fs::path folder(first->hf);
  if (folder.is_relative())
    folder = fs::path(schedulePath).parent_path() / folder;
  try {
    return BpeTokenizer::load(folder);
  } catch (const std::exception &e) {
    throw RunError("model '" + first->name + "': " + e.what(),
                   "the checkpoint folder needs the tokenizer.json (and "
                   "tokenizer_config.json) it was published with");
  }
}

} // namespace rlg::runtime
