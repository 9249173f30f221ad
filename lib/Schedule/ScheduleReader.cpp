// Reading a schedule from JSON text: parsing, the format and version check,
// then each section.
#include "ReadParts.h"
#include "rlg/Schedule/ScheduleIO.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rlg::schedule {
namespace {

/// Accepts every event and remembers the parser's error, so that the byte
/// offset and the reason come back without exceptions.
class ParseErrorCatcher : public nlohmann::json_sax<Json> {
public:
  size_t position = 0;
  std::string reason;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    position = pos;
    reason = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: X"
    size_t at = reason.find("parse error");
    size_t colon = at == std::string::npos ? at : reason.find(": ", at);
    if (colon != std::string::npos)
      reason = reason.substr(colon + 2);
    return false;
  }
};

void reportJsonError(std::string_view text,
                     std::vector<ScheduleError> &errors) {
  ParseErrorCatcher catcher;
  Json::sax_parse(text.begin(), text.end(), &catcher);
  size_t offset = catcher.position > 0 ? catcher.position - 1 : 0;
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string where = "byte " + std::to_string(offset) + " (line " +
                      std::to_string(line) + ", column " +
                      std::to_string(column) + ")";
  std::string reason = catcher.reason.empty() ? "not JSON" : catcher.reason;
  std::string hint = offset >= text.size() || text.empty()
                         ? "the file ends early; was it truncated?"
                         : "";
  addScheduleError(errors, "", "invalid JSON at " + where + ": " + reason,
                   hint);
}

/// "1.0" -> {1, 0}; false for anything else.
bool parseVersion(const std::string &text, FormatVersion &out) {
  size_t dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() ||
      dot > 6 || text.size() - dot - 1 > 6)
    return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (i != dot && !std::isdigit(static_cast<unsigned char>(text[i])))
      return false;
  out.major = std::stoi(text.substr(0, dot));
  out.minor = std::stoi(text.substr(dot + 1));
  return true;
}

std::string versionText(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

/// Checks "format" and "version"; false when the rest cannot be read.
bool readHeader(FieldReader &fields, ReadContext &ctx, Schedule &out) {
  std::string format, version;
  if (!fields.string("format", format) || !fields.string("version", version))
    return false;
  if (format != kFormatName) {
    addScheduleError(ctx.errors, "format",
                     "expected \"" + std::string(kFormatName) + "\", got \"" +
                         format + "\"",
                     "this file is not an rlg schedule");
    return false;
  }
  std::string ours = versionText(kFormatMajor, kFormatMinor);
  if (!parseVersion(version, out.version)) {
    addScheduleError(ctx.errors, "version",
                     "expected \"MAJOR.MINOR\", got \"" + version + "\"",
                     "this reader writes \"" + ours + "\"");
    return false;
  }
  if (out.version.major != kFormatMajor) {
    bool newer = out.version.major > kFormatMajor;
    addScheduleError(
        ctx.errors, "version",
        "schedule format version " + version + " is " +
            (newer ? "newer than" : "older than") + " this reader's version " +
            ours,
        newer ? "use a newer rlg, or compile the program again with this one"
              : "compile the program again with this rlg");
    return false;
  }
  ctx.strictFields = out.version.minor <= kFormatMinor;
  return true;
}

} // namespace

bool readScheduleJson(std::string_view text, Schedule &out,
                      std::vector<ScheduleError> &errors) {
  size_t before = errors.size();
  out = Schedule();
  Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    reportJsonError(text, errors);
    return false;
  }
  ReadContext ctx{errors};
  FieldReader fields(doc, "", ctx);
  if (!fields.ok() || !readHeader(fields, ctx, out))
    return false;
  if (const Json *program = fields.any("program"))
    readProgram(*program, ctx, out.program);
  if (const Json *cluster = fields.any("cluster"))
    readCluster(*cluster, ctx, out.cluster);
  if (const Json *models = fields.any("models"))
    readModels(*models, ctx, out.models);
  if (const Json *data = fields.any("data"))
    readData(*data, ctx, out.data);
  if (const Json *rewards = fields.any("rewards"))
    readRewards(*rewards, ctx, out.rewards);
  if (const Json *precompute = fields.any("precompute", false))
    readPrecompute(*precompute, ctx, out.precompute);
  if (const Json *steps = fields.any("steps"))
    readSteps(*steps, ctx, out.steps);
  if (const Json *run = fields.any("run"))
    readRun(*run, ctx, out.run);
  if (const Json *predictions = fields.any("predictions", false)) {
    out.predictions.emplace();
    readPredictions(*predictions, ctx, *out.predictions);
  }
  fields.finish();
  return errors.size() == before;
}

bool readScheduleFile(const std::string &path, Schedule &out,
                      std::vector<ScheduleError> &errors) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    addScheduleError(errors, "", "is a directory, not a schedule file");
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    addScheduleError(errors, "", "cannot open the file",
                     "check the path and its permissions");
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) {
    addScheduleError(errors, "", "cannot read the file");
    return false;
  }
  return readScheduleJson(text.str(), out, errors);
}

} // namespace rlg::schedule
