// Collecting and rendering located diagnostics.
#include "rlg/Support/Diagnostics.h"

#include <algorithm>

namespace rlg {

Diagnostic &DiagnosticEngine::add(Severity severity, SourceRange range,
                                  std::string message, std::string hint) {
  if (severity == Severity::Error && errors_ >= kMaxErrors) {
    ++errors_;
    overflow_ = {};
    return overflow_; // Counted, not kept: the output stays readable.
  }
  (severity == Severity::Error ? errors_ : warnings_)++;
  diagnostics_.push_back(
      {severity, range, std::move(message), std::move(hint), {}});
  return diagnostics_.back();
}

Diagnostic &DiagnosticEngine::error(SourceRange range, std::string message,
                                    std::string hint) {
  return add(Severity::Error, range, std::move(message), std::move(hint));
}

Diagnostic &DiagnosticEngine::warning(SourceRange range, std::string message,
                                      std::string hint) {
  return add(Severity::Warning, range, std::move(message), std::move(hint));
}

namespace {

const char *severityName(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

const char *severityColor(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "\033[1;31m";
  case Severity::Warning:
    return "\033[1;35m";
  case Severity::Note:
    return "\033[1;36m";
  }
  return "";
}

/// Replaces control bytes so that a line from a corrupt file prints safely.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text)
    out.push_back(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : char(c));
  return out;
}

void renderOne(std::ostream &os, const SourceManager &sources,
               Severity severity, SourceRange range, const std::string &message,
               bool color) {
  const char *bold = color ? "\033[1m" : "";
  const char *reset = color ? "\033[0m" : "";
  if (range.isValid()) {
    LineCol lc = sources.lineCol(range.begin);
    os << bold << sources.name(range.begin.bufferId) << ':' << lc.line << ':'
       << lc.column << ": " << reset;
  }
  os << (color ? severityColor(severity) : "") << severityName(severity) << ": "
     << reset << bold << message << reset << '\n';
  if (!range.isValid())
    return;
  LineCol lc = sources.lineCol(range.begin);
  std::string line = printable(sources.lineText(range.begin.bufferId, lc.line));
  os << "  " << line << '\n';
  // The caret marks the first byte; tildes run to the range end on this line.
  unsigned startCol = std::min<unsigned>(lc.column, line.size() + 1);
  unsigned available = line.size() + 1 - startCol;
  unsigned width = std::max(1u, std::min(range.length(), available));
  os << "  " << std::string(startCol - 1, ' ') << (color ? "\033[1;32m" : "")
     << '^' << std::string(width - 1, '~') << reset << '\n';
}

} // namespace

void renderDiagnostic(std::ostream &os, const SourceManager &sources,
                      const Diagnostic &diag, bool color) {
  renderOne(os, sources, diag.severity, diag.range, diag.message, color);
  for (const Diagnostic::Note &note : diag.notes)
    renderOne(os, sources, Severity::Note, note.range, note.message, color);
  if (!diag.hint.empty())
    os << (color ? "\033[1;36m" : "") << "hint: " << (color ? "\033[0m" : "")
       << diag.hint << '\n';
}

void renderDiagnostics(std::ostream &os, const DiagnosticEngine &engine,
                       bool color) {
  // In source order, so that a lexical error and the syntax error it causes
  // read top to bottom.
  std::vector<const Diagnostic *> sorted;
  for (const Diagnostic &diag : engine.diagnostics())
    sorted.push_back(&diag);
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const Diagnostic *a, const Diagnostic *b) {
        return std::make_pair(a->range.begin.bufferId, a->range.begin.offset) <
               std::make_pair(b->range.begin.bufferId, b->range.begin.offset);
      });
  for (const Diagnostic *diag : sorted)
    renderDiagnostic(os, engine.sources(), *diag, color);
  if (engine.errorCount() > DiagnosticEngine::kMaxErrors)
    os << "note: " << engine.errorCount() - DiagnosticEngine::kMaxErrors
       << " more errors not shown\n";
}

} // namespace rlg
