// A JSONL data file read on demand: an index of where each record starts.
#include "rlg/Runtime/Data/JsonlExamples.h"

#include "rlg/Runtime/Executor/RunContext.h"

#include <filesystem>
#include <stdexcept>

namespace rlg::runtime {

JsonlExamples::JsonlExamples(std::string path, std::string kind,
                             data::JsonlFields fields)
    : path_(std::move(path)), kind_(std::move(kind)),
      fields_(std::move(fields)) {
  std::error_code ec;
  if (std::filesystem::is_directory(path_, ec))
    throw RunError(path_ + ": cannot open the data file: it is a folder",
                   "name a .jsonl file");
  in_.open(path_, std::ios::binary);
  if (!in_)
    throw RunError(path_ + ": cannot open the data file",
                   "check the path; it is relative to the program's folder");
  std::string line;
  int64_t lineNumber = 0;
  uint64_t offset = 0; // where `line` starts
  Example example;
  data::RecordProblem problem;
  for (; std::getline(in_, line); offset += line.size() + 1) {
    ++lineNumber;
    std::string_view text = data::jsonlRecordText(line, offset == 0);
    if (data::isBlankJsonlLine(text))
      continue;
    if (!data::readJsonlRecord(text, kind_, fields_, example, problem))
      throw RunError(path_ + ":" + std::to_string(lineNumber) + ": " +
                         problem.message,
                     problem.hint);
    offsets_.push_back(offset);
  }
  if (in_.bad())
    throw RunError(path_ + ": cannot read the data file");
  if (offsets_.empty())
    throw RunError(path_ + ": the data file has no records",
                   "each line of a JSONL file holds one {...} record");
  offsets_.shrink_to_fit();
  in_.clear();
}

std::vector<Example>
JsonlExamples::fetch(const std::vector<int64_t> &indices) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Example> out;
  out.reserve(indices.size());
  std::string line;
  data::RecordProblem problem;
  for (int64_t index : indices) {
    if (index < 0 || index >= size())
      throw std::out_of_range("example " + std::to_string(index) +
                              " does not exist (there are " +
                              std::to_string(size()) + ")");
    uint64_t offset = offsets_[index];
    std::string where =
        path_ + ": the record at byte " + std::to_string(offset);
    const char *hint = "the data file changed after the run started";
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    if (!in_ || !std::getline(in_, line))
      throw RunError(where + " cannot be read", hint);
    Example example;
    if (!data::readJsonlRecord(data::jsonlRecordText(line, offset == 0), kind_,
                               fields_, example, problem))
      throw RunError(where + " no longer reads: " + problem.message, hint);
    out.push_back(std::move(example));
  }
  return out;
}

} // namespace rlg::runtime
