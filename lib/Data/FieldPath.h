// Field paths into JSON records: names and list indices joined by dots.
#pragma once

#include "rlg/Data/JsonlRecord.h"

#include <nlohmann/json.hpp>

#include <string>

namespace rlg::data {

/// How messages name a JSON value's type: "a string", "a number", "a list",
/// "an object", "true", "false" or "null".
std::string jsonTypeName(const nlohmann::json &value);

/// The value at `path` in `record`: a key as a whole first, else dotted
/// keys and list indices from 0. Null when a step is absent, with `problem`
/// (missing, the path, and a hint naming the fields that are there).
const nlohmann::json *findField(const nlohmann::json &record,
                                const std::string &path,
                                RecordProblem &problem);

} // namespace rlg::data
