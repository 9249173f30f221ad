// A JSONL data file read on demand: an index of where each record starts.
#pragma once

#include "rlg/Data/JsonlRecord.h"
#include "rlg/Runtime/Data/ExampleSource.h"

#include <fstream>
#include <mutex>
#include <string>

namespace rlg::runtime {

/// Opening reads the file once: every line is checked (a JSON object with
/// the fields of the kind, of the right types), blank lines are skipped, and
/// the byte offset of each record is kept, 8 bytes a record. Reads parse the
/// records they need again, by offset. A UTF-8 byte order mark, CRLF line
/// ends and a last line without a line end are accepted.
class JsonlExamples : public ExampleSource {
public:
  /// Throws RunError "PATH:LINE: problem" (with a hint) for the first bad
  /// line, "PATH: cannot open the data file" and "PATH: the data file has
  /// no records". `kind` and `fields` as in rlg/Data/JsonlRecord.h.
  JsonlExamples(std::string path, std::string kind, data::JsonlFields fields);

  int64_t size() const override {
    return static_cast<int64_t>(offsets_.size());
  }
  /// Throws RunError when the file changed since it was opened.
  std::vector<Example>
  fetch(const std::vector<int64_t> &indices) const override;

  /// The bytes the index holds: 8 per record.
  int64_t indexBytes() const {
    return static_cast<int64_t>(offsets_.capacity() * sizeof(uint64_t));
  }

private:
  std::string path_;
  std::string kind_;
  data::JsonlFields fields_;
  std::vector<uint64_t> offsets_;
  mutable std::ifstream in_;
  mutable std::mutex mutex_;
};

} // namespace rlg::runtime
