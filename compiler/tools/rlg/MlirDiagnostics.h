// Shows MLIR diagnostics the way the front end shows its own: file, line,
// column, the source line with a caret, notes and a hint.
#pragma once

#include "rlg/Support/Diagnostics.h"

#include "mlir/IR/Diagnostics.h"

#include <ostream>

namespace rlg::driver {

/// While alive, renders every MLIR diagnostic of `context` to `os`. A note
/// whose text starts with "hint: ", or the first note at the diagnostic's own
/// location, becomes the diagnostic's hint; locations
/// in `buffer` get the source line and a caret.
class MlirDiagnosticBridge {
public:
  MlirDiagnosticBridge(mlir::MLIRContext &context, const SourceManager &sources,
                       uint32_t buffer, std::ostream &os, bool color);
  ~MlirDiagnosticBridge();
  unsigned errorCount() const { return errors_; }

private:
  mlir::LogicalResult handle(mlir::Diagnostic &diag);
  SourceRange rangeOf(mlir::Location loc, std::string &where) const;

  mlir::MLIRContext &context_;
  const SourceManager &sources_;
  uint32_t buffer_;
  std::ostream &os_;
  bool color_;
  unsigned errors_ = 0;
  mlir::DiagnosticEngine::HandlerID id_;
};

} // namespace rlg::driver
