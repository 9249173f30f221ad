// `rlg tokenize`: text lines to token ids, or id lines back to text.
#include "Commands.h"

#ifdef RLG_HAVE_TOKENIZER
#include "rlg/Runtime/Data/BpeTokenizer.h"
#endif

#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rlg::driver {

#ifdef RLG_HAVE_TOKENIZER
namespace {

void printError(const std::string &message, const std::string &hint) {
  std::cout.flush();
  std::cerr << "rlg tokenize: error: " << message << "\nhint: " << hint << '\n';
}

/// The ids of one line of --decode input; prints an error and returns false
/// for a word that is not an id in [0, vocabSize).
bool parseIds(const std::string &line, size_t lineNumber, int64_t vocabSize,
              std::vector<int64_t> &ids) {
  ids.clear();
  size_t pos = 0;
  while (pos < line.size()) {
    if (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r') {
      ++pos;
      continue;
    }
    size_t end = line.find_first_of(" \t\r", pos);
    if (end == std::string::npos)
      end = line.size();
    std::string word = line.substr(pos, end - pos);
    int64_t id = -1;
    auto [rest, ec] =
        std::from_chars(word.data(), word.data() + word.size(), id);
    std::string hint = "--decode reads lines of token ids in [0, " +
                       std::to_string(vocabSize) +
                       ") separated by spaces, as rlg tokenize prints them";
    if (ec != std::errc() || rest != word.data() + word.size()) {
      printError("line " + std::to_string(lineNumber) + ": \"" + word +
                     "\" is not a token id",
                 hint);
      return false;
    }
    if (id < 0 || id >= vocabSize) {
      printError("line " + std::to_string(lineNumber) + ": id " + word +
                     " is outside the vocabulary [0, " +
                     std::to_string(vocabSize) + ")",
                 hint);
      return false;
    }
    ids.push_back(id);
    pos = end;
  }
  return true;
}

} // namespace
#endif

int runTokenize(const TokenizeOptions &options) {
#ifndef RLG_HAVE_TOKENIZER
  (void)options;
  std::cerr << "rlg tokenize: error: this rlg was built without the "
               "runtime, which reads tokenizer.json files\n"
            << "hint: configure with -DRLG_ENABLE_TORCH=ON (and libicu-dev "
               "installed) to build it\n";
  return kExitUserError;
#else
  std::unique_ptr<runtime::BpeTokenizer> tokenizer;
  try {
    tokenizer = runtime::BpeTokenizer::load(options.tokenizer,
                                            /*requireEos=*/false);
  } catch (const std::invalid_argument &e) {
    printError(e.what(), "--tokenizer takes a Hugging Face tokenizer.json, or "
                         "a model folder holding one (docs/tokenizers.md "
                         "lists the supported parts)");
    return kExitUserError;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  std::vector<int64_t> ids;
  size_t lineNumber = 0;
  while (std::getline(std::cin, line)) {
    ++lineNumber;
    out.clear();
    if (options.decode) {
      if (!parseIds(line, lineNumber, tokenizer->vocabSize(), ids))
        return kExitUserError;
      out = tokenizer->decodeIds(ids, options.skipSpecial);
    } else {
      try {
        ids = tokenizer->encode(line, !options.noSpecial);
      } catch (const std::invalid_argument &e) {
        printError("line " + std::to_string(lineNumber) + ": " + e.what(),
                   "rlg tokenize reads UTF-8 text, one line at a time");
        return kExitUserError;
      }
      for (size_t i = 0; i < ids.size(); ++i) {
        if (i)
          out.push_back(' ');
        out += std::to_string(ids[i]);
      }
    }
    out.push_back('\n');
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "rlg tokenize: error: cannot write the output\n";
    return kExitUserError;
  }
  return kExitOk;
#endif
}

} // namespace rlg::driver
