// JSONL data files: prompts, preference pairs, demonstrations and labeled
// completions, with the field names the program chose.
#pragma once

#include "rlg/Runtime/Executor/RunContext.h"

#include <map>
#include <string>
#include <vector>

namespace rlg::runtime {

/// Reads one JSON object per line (blank lines are skipped), streaming.
/// `fields` maps roles (prompt, answer, chosen, rejected, response,
/// completion, label) to field names. A line that is not a JSON object, or
/// lacks a field, or has one of the wrong type, throws RunError naming the
/// file, the line number and the field.
std::vector<Example>
readJsonlExamples(const std::string &path, const std::string &kind,
                  const std::map<std::string, std::string> &fields);

} // namespace rlg::runtime
