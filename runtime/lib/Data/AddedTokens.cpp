// tokenizer.json's added_tokens: the tokens the input is split on first.
#include "AddedTokens.h"

#include "Normalizers.h"
#include "UnicodeText.h"
#include "Utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rlg::runtime::bpe {
namespace {

/// The code point that ends at `end` (text is valid UTF-8).
char32_t codePointBefore(std::string_view text, size_t end, size_t &start) {
  start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
    --start;
  size_t pos = start;
  char32_t c = 0xFFFD;
  nextCodePoint(text, pos, c);
  return c;
}

char32_t codePointAt(std::string_view text, size_t pos, size_t &next) {
  next = pos;
  char32_t c = 0xFFFD;
  if (!nextCodePoint(text, next, c))
    next = pos + 1;
  return c;
}

/// Whether text[..end] ends with a word character (`\w$`).
bool endsWithWord(std::string_view text, size_t end) {
  size_t start;
  return end > 0 && isWordCharacter(codePointBefore(text, end, start));
}

/// Whether text[begin..] starts with a word character (`^\w`).
bool startsWithWord(std::string_view text, size_t begin) {
  size_t next;
  return begin < text.size() && isWordCharacter(codePointAt(text, begin, next));
}

/// Where the white space that ends text[..end] starts.
size_t whiteSpaceBefore(std::string_view text, size_t end) {
  while (end > 0) {
    size_t start;
    if (!isWhiteSpace(codePointBefore(text, end, start)))
      break;
    end = start;
  }
  return end;
}

/// Where the white space that starts text[begin..] ends.
size_t whiteSpaceAfter(std::string_view text, size_t begin) {
  while (begin < text.size()) {
    size_t next;
    if (!isWhiteSpace(codePointAt(text, begin, next)))
      break;
    begin = next;
  }
  return begin;
}

} // namespace

AddedTokens::Trie::Trie() : nodes(1) { rootChildren.fill(-1); }

void AddedTokens::Trie::insert(std::string_view pattern, int32_t token) {
  int32_t node = 0;
  for (char c : pattern) {
    unsigned char byte = static_cast<unsigned char>(c);
    int32_t child = -1;
    if (node == 0) {
      child = rootChildren[byte];
    } else {
      for (const auto &[key, index] : nodes[node].children)
        if (key == byte)
          child = index;
    }
    if (child < 0) {
      child = static_cast<int32_t>(nodes.size());
      nodes.emplace_back();
      if (node == 0)
        rootChildren[byte] = child;
      else
        nodes[node].children.emplace_back(byte, child);
    }
    node = child;
  }
  if (nodes[node].token < 0) // the first token with a pattern keeps it
    nodes[node].token = token;
}

int32_t AddedTokens::Trie::longest(std::string_view text, size_t pos,
                                   size_t &end) const {
  int32_t found = -1;
  int32_t node = rootChildren[static_cast<unsigned char>(text[pos])];
  size_t i = pos + 1;
  while (node >= 0) {
    if (nodes[node].token >= 0) {
      found = nodes[node].token;
      end = i;
    }
    if (i == text.size())
      break;
    unsigned char byte = static_cast<unsigned char>(text[i]);
    int32_t child = -1;
    for (const auto &[key, index] : nodes[node].children)
      if (key == byte) {
        child = index;
        break;
      }
    node = child;
    ++i;
  }
  return found;
}

AddedTokens AddedTokens::parse(const JsonFile &file,
                               const nlohmann::json &value,
                               const std::string &path,
                               const Normalizer *normalizer) {
  AddedTokens added;
  if (value.is_null())
    return added;
  file.requireArray(value, path);
  for (size_t i = 0; i < value.size(); ++i) {
    std::string tokenPath = jsonPath(path, i);
    const nlohmann::json &entry = value[i];
    file.requireObject(entry, tokenPath);
    AddedToken token;
    const nlohmann::json *id = file.find(entry, "id");
    if (!id)
      file.fail(tokenPath, "has no \"id\"");
    token.id = file.tokenId(*id, jsonPath(tokenPath, "id"));
    token.content = file.string(entry, "content", tokenPath);
    if (token.content.empty())
      file.fail(jsonPath(tokenPath, "content"), "must not be empty");
    token.special = file.boolean(entry, "special", tokenPath, false);
    token.singleWord = file.boolean(entry, "single_word", tokenPath, false);
    token.lstrip = file.boolean(entry, "lstrip", tokenPath, false);
    token.rstrip = file.boolean(entry, "rstrip", tokenPath, false);
    token.normalized =
        file.boolean(entry, "normalized", tokenPath, !token.special);
    if (const AddedToken *other = added.findById(token.id))
      file.fail(jsonPath(tokenPath, "id"), std::to_string(token.id) +
                                               " is the id of " +
                                               quote(other->content) + " too");
    if (const AddedToken *other = added.findByContent(token.content))
      file.fail(jsonPath(tokenPath, "content"),
                quote(token.content) + " is added twice (ids " +
                    std::to_string(other->id) + " and " +
                    std::to_string(token.id) + ")");
    added.byId.emplace(token.id, added.tokens.size());
    added.byContent.emplace(token.content, added.tokens.size());
    added.tokens.push_back(std::move(token));
  }
  for (size_t i = 0; i < added.tokens.size(); ++i) {
    AddedToken &token = added.tokens[i];
    token.decoded = token.content;
    if (!token.normalized) {
      added.rawTrie.insert(token.content, static_cast<int32_t>(i));
      continue;
    }
    if (normalizer)
      normalizer->apply(token.decoded);
    if (!token.decoded.empty())
      added.normalizedTrie.insert(token.decoded, static_cast<int32_t>(i));
  }
  return added;
}

std::vector<Segment> AddedTokens::split(std::string_view text,
                                        bool normalizedTokens) const {
  const Trie &trie = normalizedTokens ? normalizedTrie : rawTrie;
  std::vector<Segment> segments;
  if (trie.empty() || text.empty()) {
    segments.push_back({0, text.size(), -1});
    return segments;
  }
  size_t segmentStart = 0; // the end of the last added token
  size_t pos = 0;
  while (pos < text.size()) {
    size_t matchEnd = 0;
    int32_t index = trie.longest(text, pos, matchEnd);
    if (index < 0) {
      ++pos;
      continue;
    }
    size_t start = pos;
    size_t stop = matchEnd;
    pos = matchEnd; // the next search starts after this match, kept or not
    const AddedToken &token = tokens[index];
    if (token.singleWord) {
      bool spaceBefore = start == 0 || !endsWithWord(text, start);
      bool spaceAfter = stop == text.size() || !startsWithWord(text, stop);
      if (!spaceBefore || !spaceAfter)
        continue;
    }
    if (token.lstrip)
      start = std::max(whiteSpaceBefore(text, start), segmentStart);
    if (token.rstrip)
      stop = whiteSpaceAfter(text, stop);
    if (segmentStart < start)
      segments.push_back({segmentStart, start, -1});
    segments.push_back({start, stop, token.id});
    segmentStart = stop;
  }
  if (segmentStart != text.size())
    segments.push_back({segmentStart, text.size(), -1});
  return segments;
}

const AddedToken *AddedTokens::findById(int64_t id) const {
  auto it = byId.find(id);
  return it == byId.end() ? nullptr : &tokens[it->second];
}

const AddedToken *AddedTokens::findByContent(std::string_view content) const {
  auto it = byContent.find(std::string(content));
  return it == byContent.end() ? nullptr : &tokens[it->second];
}

bool AddedTokens::isSpecial(std::string_view content) const {
  const AddedToken *token = findByContent(content);
  return token && token->special;
}

} // namespace rlg::runtime::bpe
