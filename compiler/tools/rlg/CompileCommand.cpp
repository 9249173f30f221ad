// `rlg compile`: a program through every phase, stopping where --emit says:
// the checked AST, the canonical IR, the planned IR or the schedule.
#include "Commands.h"
#include "MlirDiagnostics.h"
#include "PlanSchedule.h"

#include "rlg/Analysis/Placement.h"
#include "rlg/Compiler/CompilerContext.h"
#include "rlg/DSL/ASTDump.h"
#include "rlg/DSL/Frontend.h"
#include "rlg/Lowering/LowerProgram.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace rlg::driver {

namespace {

/// Writes `text` to `path` ("-" for stdout) through a temporary file and a
/// rename, so a failed write never leaves half a file behind.
bool writeOutput(const std::string &path, const std::string &text) {
  if (path == "-") {
    std::cout << text;
    return static_cast<bool>(std::cout);
  }
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) {
      std::cerr << path << ": error: cannot write the output\n";
      return false;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    std::cerr << path << ": error: cannot write the output\n";
    return false;
  }
  return true;
}

std::string printModule(mlir::ModuleOp module, bool locations) {
  std::string text;
  llvm::raw_string_ostream os(text);
  mlir::OpPrintingFlags flags;
  if (locations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope(); // Locations inline, not as #loc aliases.
  module->print(os, flags);
  os << '\n';
  return text;
}

} // namespace

int runCompile(const CompileOptions &options) {
  if (!analysis::lookupPlacementStrategy(options.strategy)) {
    std::string known;
    for (const analysis::PlacementStrategy &s : analysis::placementStrategies())
      known += (known.empty() ? "" : ", ") + s.name.str();
    std::cerr << "rlg compile: error: unknown placement strategy '"
              << options.strategy << "'\nhint: the strategies are: " << known
              << '\n';
    return kExitUserError;
  }
  bool color = options.color == "always" ||
               (options.color == "auto" && isatty(STDERR_FILENO) &&
                getenv("NO_COLOR") == nullptr);
  const std::string &file = options.file;
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::string readError;
  std::optional<uint32_t> buffer = sources.addFile(file, readError);
  if (!buffer) {
    std::cerr << file << ": error: " << readError << '\n'
              << "hint: check the path; the example programs are in "
                 "programs/\n";
    return kExitUserError;
  }
  dsl::FrontendResult frontend =
      dsl::runFrontend(*buffer, sources, diags, paramOverrides(options.params));
  renderDiagnostics(std::cerr, diags, color);
  if (diags.hasErrors()) {
    std::cerr << file << ": " << diags.errorCount() << " error"
              << (diags.errorCount() == 1 ? "" : "s") << '\n';
    return kExitUserError;
  }
  if (options.emit == "ast") {
    std::ostringstream text;
    dsl::dumpAST(text, frontend.program, sources);
    return writeOutput(options.output, text.str()) ? kExitOk : kExitUserError;
  }

  std::unique_ptr<mlir::MLIRContext> context =
      compiler::createCompilerContext();
  // Diagnostics point at the program, not at a dump of the IR.
  context->printOpOnDiagnostic(false);
  MlirDiagnosticBridge bridge(*context, sources, *buffer, std::cerr, color);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      lowering::lowerProgram(*context, frontend, sources, file);
  if (!module || mlir::failed(mlir::verify(*module))) {
    std::cerr << file << ": internal error: the lowered IR is invalid\n";
    return kExitInternalError;
  }

  PipelineOptions pipeline;
  pipeline.placementStrategy = options.strategy;
  pipeline.deviceKind = options.deviceKind;
  auto runPhase = [&](auto build) {
    mlir::PassManager pm(context.get());
    build(pm, pipeline);
    return mlir::succeeded(pm.run(*module));
  };
  if (options.emit != "lowered") {
    if (!runPhase(buildCanonicalizePipeline)) {
      std::cerr << file << ": " << bridge.errorCount() << " error"
                << (bridge.errorCount() == 1 ? "" : "s") << '\n';
      return kExitUserError;
    }
  }
  if (options.emit == "mlir" || options.emit == "lowered")
    return writeOutput(options.output, printModule(*module, options.locations))
               ? kExitOk
               : kExitUserError;

  if (!runPhase(buildPlacementPipeline)) {
    std::cerr << file << ": " << bridge.errorCount() << " error"
              << (bridge.errorCount() == 1 ? "" : "s") << '\n';
    return kExitUserError;
  }
  if (options.emit == "planned")
    return writeOutput(options.output, printModule(*module, options.locations))
               ? kExitOk
               : kExitUserError;

  schedule::Schedule plan;
  if (int code = exportValidSchedule(file, *module, plan))
    return code;
  return writeOutput(options.output, schedule::writeScheduleJson(plan))
             ? kExitOk
             : kExitUserError;
}

} // namespace rlg::driver
