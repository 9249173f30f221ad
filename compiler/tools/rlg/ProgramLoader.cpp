// Loading a program for planning: the front end, the lowering and the
// canonicalising passes, as `rlg compile --emit=mlir` runs them.
#include "ProgramLoader.h"

#include "Commands.h"

#include "rlg/Compiler/CompilerContext.h"
#include "rlg/DSL/Frontend.h"
#include "rlg/Dialect/RLG/IR/RLGDialect.h"
#include "rlg/Lowering/LowerProgram.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace rlg::driver {

bool useColor(const std::string &color) {
  return color == "always" || (color == "auto" && isatty(STDERR_FILENO) &&
                               std::getenv("NO_COLOR") == nullptr);
}

ProgramLoader::ProgramLoader() = default;
ProgramLoader::~ProgramLoader() {
  // The module and the bridge go before the context they live in.
  module_ = nullptr;
  bridge_.reset();
}

int ProgramLoader::load(const std::string &file, const std::string &color) {
  file_ = file;
  bool colored = useColor(color);
  DiagnosticEngine diags(sources_);
  std::string readError;
  std::optional<uint32_t> buffer = sources_.addFile(file, readError);
  if (!buffer) {
    std::cerr << file << ": error: " << readError << '\n'
              << "hint: check the path; the example programs are in "
                 "programs/\n";
    return kExitUserError;
  }
  dsl::FrontendResult frontend =
      dsl::runFrontend(*buffer, sources_, diags, paramOverrides(params));
  renderDiagnostics(std::cerr, diags, colored);
  if (diags.hasErrors()) {
    std::cerr << file << ": " << diags.errorCount() << " error"
              << (diags.errorCount() == 1 ? "" : "s") << '\n';
    return kExitUserError;
  }
  context_ = compiler::createCompilerContext();
  context_->printOpOnDiagnostic(false);
  bridge_ = std::make_unique<MlirDiagnosticBridge>(*context_, sources_, *buffer,
                                                   std::cerr, colored);
  module_ = lowering::lowerProgram(*context_, frontend, sources_, file);
  if (!module_ || mlir::failed(mlir::verify(*module_))) {
    std::cerr << file << ": internal error: the lowered IR is invalid\n";
    return kExitInternalError;
  }
  mlir::PassManager pm(context_.get());
  buildCanonicalizePipeline(pm, PipelineOptions{});
  if (mlir::failed(pm.run(*module_)))
    return failedWithErrors();
  return kExitOk;
}

std::string ProgramLoader::programName() {
  if (auto name = (*module_)->getAttrOfType<mlir::StringAttr>(
          ir::RLGDialect::kProgramAttrName))
    return name.str();
  return std::filesystem::path(file_).stem().string();
}

int ProgramLoader::failedWithErrors() {
  unsigned errors = bridge_ ? bridge_->errorCount() : 0;
  std::cerr << file_ << ": " << errors << " error" << (errors == 1 ? "" : "s")
            << '\n';
  return kExitUserError;
}

} // namespace rlg::driver
