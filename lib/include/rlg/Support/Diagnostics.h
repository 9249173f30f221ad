// Located diagnostics (errors, warnings, notes with hints) and their text
// rendering.
#pragma once

#include "rlg/Support/SourceManager.h"

#include <ostream>
#include <string>
#include <vector>

namespace rlg {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceRange range;
  std::string message;
  std::string hint; // Empty when there is nothing useful to suggest.
  struct Note {
    SourceRange range;
    std::string message;
  };
  std::vector<Note> notes;
};

/// Collects diagnostics; knows nothing about how they are shown.
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const SourceManager &sources) : sources_(sources) {}

  Diagnostic &error(SourceRange range, std::string message,
                    std::string hint = {});
  Diagnostic &warning(SourceRange range, std::string message,
                      std::string hint = {});

  const std::vector<Diagnostic> &diagnostics() const { return diagnostics_; }
  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ != 0; }
  const SourceManager &sources() const { return sources_; }

  /// Stops recording errors past this many (a final note says so).
  static constexpr unsigned kMaxErrors = 30;

private:
  Diagnostic &add(Severity severity, SourceRange range, std::string message,
                  std::string hint);
  const SourceManager &sources_;
  std::vector<Diagnostic> diagnostics_;
  Diagnostic overflow_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
};

/// Writes `file:line:col: error: message`, the source line, a caret under the
/// range, notes and the hint.
void renderDiagnostic(std::ostream &os, const SourceManager &sources,
                      const Diagnostic &diag, bool color = false);
void renderDiagnostics(std::ostream &os, const DiagnosticEngine &engine,
                       bool color = false);

} // namespace rlg
