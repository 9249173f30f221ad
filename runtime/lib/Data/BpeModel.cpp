// tokenizer.json's BPE model: vocabulary, merges by rank, byte fallback.
#include "BpeModel.h"

#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <queue>

namespace rlg::runtime::bpe {
namespace {

/// The two tokens of one merge: ["a", "b"] or "a b".
std::pair<std::string, std::string> mergePair(const JsonFile &file,
                                              const nlohmann::json &merge,
                                              const std::string &path) {
  if (merge.is_string()) {
    std::string text = merge.get<std::string>();
    size_t space = text.find(' ');
    if (space == std::string::npos)
      file.fail(path, quote(text) + " must be two tokens separated by a space");
    return {text.substr(0, space), text.substr(space + 1)};
  }
  if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
      merge[1].is_string())
    return {merge[0].get<std::string>(), merge[1].get<std::string>()};
  file.fail(path, "must be [\"a\", \"b\"] or \"a b\", not " +
                      describeJsonType(merge));
}

} // namespace

BpeModel BpeModel::parse(const JsonFile &file, const nlohmann::json &value,
                         const std::string &path) {
  file.requireObject(value, path);
  // Files of old versions leave out the type; a BPE model has merges.
  if (file.find(value, "type") || !file.find(value, "merges")) {
    std::string type = file.type(value, path);
    if (type != "BPE")
      file.unsupported(jsonPath(path, "type"), type, "BPE");
  }
  if (const nlohmann::json *dropout = file.find(value, "dropout"))
    if (!dropout->is_null() &&
        !(dropout->is_number() && dropout->get<double>() == 0.0))
      file.fail(jsonPath(path, "dropout"),
                "must be null: BPE dropout is not supported");
  for (const char *key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (auto affix = file.optionalString(value, key, path);
        affix && !affix->empty())
      file.fail(jsonPath(path, key),
                quote(*affix) + " is not supported (only null or \"\")");

  BpeModel model;
  model.fuseUnk = file.boolean(value, "fuse_unk", path, false);
  model.byteFallback = file.boolean(value, "byte_fallback", path, false);
  model.ignoreMerges = file.boolean(value, "ignore_merges", path, false);

  const nlohmann::json *vocab = file.find(value, "vocab");
  std::string vocabPath = jsonPath(path, "vocab");
  if (!vocab)
    file.fail(path, "has no \"vocab\"");
  file.requireObject(*vocab, vocabPath);
  model.vocab.reserve(vocab->size());
  model.tokens.reserve(vocab->size());
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    std::string entryPath = vocabPath + "[" + quote(it.key()) + "]";
    int32_t id = static_cast<int32_t>(file.tokenId(it.value(), entryPath));
    auto [previous, inserted] = model.tokens.emplace(id, it.key());
    if (!inserted)
      file.fail(entryPath, "has id " + std::to_string(id) + ", which " +
                               quote(previous->second) + " has too");
    model.vocab.emplace(it.key(), id);
    model.largestId = std::max<int64_t>(model.largestId, id);
    size_t pos = 0;
    char32_t codePoint;
    if (nextCodePoint(it.key(), pos, codePoint) && pos == it.key().size())
      model.charIds.emplace(codePoint, id);
  }
  model.byteIds.fill(-1);
  for (int byte = 0; byte < 256; ++byte) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", byte);
    if (auto it = model.vocab.find(name); it != model.vocab.end())
      model.byteIds[byte] = it->second;
  }
  if (auto unk = file.optionalString(value, "unk_token", path)) {
    auto it = model.vocab.find(*unk);
    if (it == model.vocab.end())
      file.fail(jsonPath(path, "unk_token"),
                quote(*unk) + " is not in " + vocabPath);
    model.unkId = it->second;
  }

  const nlohmann::json *merges = file.find(value, "merges");
  std::string mergesPath = jsonPath(path, "merges");
  if (!merges)
    file.fail(path, "has no \"merges\"");
  file.requireArray(*merges, mergesPath);
  model.merges.reserve(merges->size());
  for (size_t rank = 0; rank < merges->size(); ++rank) {
    std::string mergePath = jsonPath(mergesPath, rank);
    auto [left, right] = mergePair(file, (*merges)[rank], mergePath);
    auto idOf = [&](const std::string &token) {
      auto it = model.vocab.find(token);
      if (it == model.vocab.end())
        file.fail(mergePath,
                  "names " + quote(token) + ", which is not in " + vocabPath);
      return it->second;
    };
    int32_t leftId = idOf(left);
    int32_t rightId = idOf(right);
    int32_t newId = idOf(left + right);
    // A pair listed twice keeps its last rank, as the reference does.
    model.merges[pairKey(leftId, rightId)] = {static_cast<int32_t>(rank),
                                              newId};
  }
  return model;
}

std::optional<int64_t> BpeModel::tokenToId(std::string_view token) const {
  auto it = vocab.find(std::string(token));
  if (it == vocab.end())
    return std::nullopt;
  return it->second;
}

const std::string *BpeModel::idToToken(int64_t id) const {
  if (id < 0 || id > largestId)
    return nullptr;
  auto it = tokens.find(static_cast<int32_t>(id));
  return it == tokens.end() ? nullptr : &it->second;
}

const BpeModel::MergeTarget *BpeModel::findMerge(int32_t left,
                                                 int32_t right) const {
  auto it = merges.find(pairKey(left, right));
  return it == merges.end() ? nullptr : &it->second;
}

void BpeModel::initialSymbols(std::string_view word,
                              std::vector<Symbol> &symbols) const {
  auto add = [&symbols](int32_t id, size_t length) {
    int32_t index = static_cast<int32_t>(symbols.size());
    if (!symbols.empty())
      symbols.back().next = index;
    symbols.push_back({id, index - 1, -1, static_cast<int32_t>(length)});
  };
  // A run of unknown characters waiting to be added: (unk id, bytes).
  int32_t pendingUnk = -1;
  size_t pendingLength = 0;
  size_t pos = 0;
  while (pos < word.size()) {
    size_t start = pos;
    char32_t codePoint;
    if (!nextCodePoint(word, pos, codePoint)) { // not reached: text is UTF-8
      pos = start + 1;
      codePoint = 0xFFFD;
    }
    size_t length = pos - start;
    if (auto it = charIds.find(codePoint); it != charIds.end()) {
      if (pendingUnk >= 0) {
        add(pendingUnk, pendingLength);
        pendingUnk = -1;
      }
      add(it->second, length);
      continue;
    }
    if (byteFallback) {
      bool all = true;
      for (size_t i = start; i < pos; ++i)
        all = all && byteIds[static_cast<unsigned char>(word[i])] >= 0;
      if (all) {
        // (A pending unknown run is added after these, as the reference
        // does.)
        for (size_t i = start; i < pos; ++i)
          add(byteIds[static_cast<unsigned char>(word[i])], 1);
        continue;
      }
    }
    if (unkId < 0)
      continue; // no unknown token: the character is dropped
    if (pendingUnk >= 0 && fuseUnk) {
      pendingLength += length;
      continue;
    }
    if (pendingUnk >= 0)
      add(pendingUnk, pendingLength);
    pendingUnk = unkId;
    pendingLength = length;
  }
  if (pendingUnk >= 0)
    add(pendingUnk, pendingLength);
}

void BpeModel::mergeAll(std::vector<Symbol> &symbols) const {
  struct Candidate {
    int32_t pos;
    int32_t rank;
    int32_t newId;
  };
  // The top is the lowest rank, and of equal ranks the leftmost.
  auto later = [](const Candidate &a, const Candidate &b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(later)> queue(
      later);
  int32_t count = static_cast<int32_t>(symbols.size());
  for (int32_t i = 0; i + 1 < count; ++i)
    if (const MergeTarget *merge = findMerge(symbols[i].id, symbols[i + 1].id))
      queue.push({i, merge->rank, merge->newId});
  while (!queue.empty()) {
    Candidate top = queue.top();
    queue.pop();
    Symbol &current = symbols[top.pos];
    if (current.length == 0 || current.next == -1)
      continue;
    int32_t nextPos = current.next;
    Symbol right = symbols[nextPos];
    // A candidate whose pair has changed since it was queued is stale.
    const MergeTarget *merge = findMerge(current.id, right.id);
    if (!merge || merge->newId != top.newId)
      continue;
    current.id = top.newId;
    current.length += right.length;
    current.next = right.next;
    symbols[nextPos].length = 0;
    if (right.next >= 0 && right.next < count)
      symbols[right.next].prev = top.pos;
    if (current.prev >= 0)
      if (const MergeTarget *left =
              findMerge(symbols[current.prev].id, current.id))
        queue.push({current.prev, left->rank, left->newId});
    if (current.next >= 0 && current.next < count)
      if (const MergeTarget *next =
              findMerge(current.id, symbols[current.next].id))
        queue.push({top.pos, next->rank, next->newId});
  }
}

void BpeModel::tokenize(std::string_view word,
                        std::vector<int64_t> &ids) const {
  if (word.empty())
    return;
  if (ignoreMerges)
    if (auto it = vocab.find(std::string(word)); it != vocab.end()) {
      ids.push_back(it->second);
      return;
    }
  std::vector<Symbol> symbols;
  symbols.reserve(word.size());
  initialSymbols(word, symbols);
  mergeAll(symbols);
  for (const Symbol &symbol : symbols)
    if (symbol.length != 0)
      ids.push_back(symbol.id);
}

} // namespace rlg::runtime::bpe
