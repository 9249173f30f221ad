// Streaming reads of JSONL data files with located errors.
#include "rlg/Runtime/Executor/JsonlData.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace rlg::runtime {

std::vector<Example>
readJsonlExamples(const std::string &path, const std::string &kind,
                  const std::map<std::string, std::string> &fields) {
  std::ifstream in(path);
  if (!in)
    throw RunError(path + ": cannot open the data file",
                   "check the path; it is relative to the program's folder");
  auto fieldOf = [&](const std::string &role) {
    auto it = fields.find(role);
    return it == fields.end() ? role : it->second;
  };
  std::vector<Example> out;
  std::string line;
  int64_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    std::string where = path + ":" + std::to_string(lineNumber);
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object())
      throw RunError(where + ": not a JSON object",
                     "each line of a JSONL file holds one {...} record");
    auto text = [&](const std::string &role, bool required) -> std::string {
      std::string name = fieldOf(role);
      auto it = record.find(name);
      if (it == record.end()) {
        if (required)
          throw RunError(where + ": the record has no field \"" + name + "\"",
                         "every record needs the fields the program names");
        return "";
      }
      if (!it->is_string())
        throw RunError(where + ": field \"" + name + "\" is not a string");
      return it->get<std::string>();
    };
    Example example;
    example.prompt = text("prompt", true);
    if (kind == "prompts") {
      example.answer = text("answer", fields.count("answer") != 0);
    } else if (kind == "pairs") {
      example.chosen = text("chosen", true);
      example.rejected = text("rejected", true);
    } else if (kind == "demos") {
      example.response = text("response", true);
    } else if (kind == "labeled") {
      example.response = text("completion", true);
      std::string name = fieldOf("label");
      auto it = record.find(name);
      if (it == record.end() || !it->is_boolean())
        throw RunError(where + ": field \"" + name +
                       "\" must be true or false");
      example.label = it->get<bool>();
    }
    out.push_back(std::move(example));
  }
  if (in.bad())
    throw RunError(path + ": cannot read the data file");
  if (out.empty())
    throw RunError(path + ": the data file has no records");
  return out;
}

} // namespace rlg::runtime
