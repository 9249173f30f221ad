// One line of a JSONL data file read as an example of its source's kind.
#pragma once

#include "rlg/Data/Example.h"

#include <map>
#include <string>
#include <string_view>

namespace rlg::data {

/// Role -> field path. A path is a field name, or names and list indices
/// joined by dots ("meta.question", "conversations.0.value"); a name that
/// itself holds a dot is found first.
using JsonlFields = std::map<std::string, std::string>;

/// Why a record cannot be read, without its file and line.
struct RecordProblem {
  std::string role;     // the role whose field it is about; "" for the line
  std::string field;    // that field's path, when there is one
  bool missing = false; // the field (or a step of its path) is absent
  std::string message;  // e.g. `field "q" is a number, not a string`
  std::string hint;
};

/// The line of a file as its record: without the UTF-8 byte order mark a
/// file may start with (`first`: the file's first line) and without the
/// carriage return of a CRLF line end.
std::string_view jsonlRecordText(std::string_view line, bool first);

/// Whether a line holds no record: only spaces, tabs and carriage returns.
bool isBlankJsonlLine(std::string_view line);

/// Reads `text` (one JSON object) as an example of `kind` ("prompts",
/// "pairs", "demos" or "labeled") through `fields`. Returns false and sets
/// `problem` when the text is not a JSON object, a field is missing or of
/// the wrong type, a conversation is malformed, or the record does not fit
/// the kind.
bool readJsonlRecord(std::string_view text, const std::string &kind,
                     const JsonlFields &fields, Example &out,
                     RecordProblem &problem);

/// The kind of a source whose records decide it (`messages` without
/// `answer`): "demos" when the record's conversation ends with an assistant
/// message, else "prompts". "" with `problem` when the record is bad.
std::string jsonlRecordKind(std::string_view text, const JsonlFields &fields,
                            RecordProblem &problem);

} // namespace rlg::data
