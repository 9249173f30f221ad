// A program read, checked, lowered and canonicalised for the commands that
// plan it, with its diagnostics shown at the program's lines.
#pragma once

#include "MlirDiagnostics.h"

#include "rlg/Support/SourceManager.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <string>
#include <vector>

namespace rlg::driver {

class ProgramLoader {
public:
  ProgramLoader();
  ~ProgramLoader();

  /// Reads, checks, lowers and canonicalises `file`, printing what is
  /// wrong; returns kExitOk or the exit code to stop with.
  int load(const std::string &file, const std::string &color);

  /// The program's --param NAME=VALUE overrides (set before load).
  std::vector<std::string> params;

  mlir::ModuleOp module() { return *module_; }
  /// The program's name (its file's stem).
  std::string programName();
  /// Prints "FILE: N errors" for the errors the IR reported; the exit code.
  int failedWithErrors();

private:
  std::string file_;
  SourceManager sources_;
  std::unique_ptr<mlir::MLIRContext> context_;
  std::unique_ptr<MlirDiagnosticBridge> bridge_;
  mlir::OwningOpRef<mlir::ModuleOp> module_;
};

/// Whether diagnostics on standard error are coloured, for --color.
bool useColor(const std::string &color);

} // namespace rlg::driver
