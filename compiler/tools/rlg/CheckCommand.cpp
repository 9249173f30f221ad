// `rlg check`: parse and check programs, print diagnostics, the AST or a
// summary.
#include "Commands.h"

#include "rlg/DSL/ASTDump.h"
#include "rlg/DSL/Frontend.h"

#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace rlg::driver {

int runCheck(const CheckOptions &options) {
  bool color = options.color == "always" ||
               (options.color == "auto" && isatty(STDERR_FILENO) &&
                getenv("NO_COLOR") == nullptr);
  bool failed = false;
  for (const std::string &file : options.files) {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    std::string readError;
    std::optional<uint32_t> buffer = sources.addFile(file, readError);
    if (!buffer) {
      std::error_code ec;
      bool directory = std::filesystem::is_directory(file, ec);
      std::cerr << file << ": error: " << readError << '\n'
                << "hint: "
                << (directory
                        ? "pass the programs inside it: " + file + "/*.rlg"
                        : std::string("check the path; the example programs "
                                      "are in programs/"))
                << '\n';
      failed = true;
      continue;
    }
    dsl::FrontendResult result = dsl::runFrontend(
        *buffer, sources, diags, paramOverrides(options.params));
    renderDiagnostics(std::cerr, diags, color);
    bool fileFailed = diags.hasErrors() ||
                      (options.warningsAsErrors && diags.warningCount() > 0);
    failed |= fileFailed;
    if (options.dumpAst && result.parsed)
      dsl::dumpAST(std::cout, result.program, sources);
    if (fileFailed) {
      std::cerr << file << ": " << diags.errorCount() << " error"
                << (diags.errorCount() == 1 ? "" : "s");
      if (diags.warningCount())
        std::cerr << ", " << diags.warningCount() << " warning"
                  << (diags.warningCount() == 1 ? "" : "s");
      std::cerr << '\n';
      continue;
    }
    if (options.dumpAst)
      continue;
    std::cout << file << ": ok";
    if (diags.warningCount())
      std::cout << " (" << diags.warningCount() << " warning"
                << (diags.warningCount() == 1 ? "" : "s") << ")";
    std::cout << '\n';
    if (options.summary)
      dsl::printSummary(std::cout, result.program, result.checked);
  }
  return failed ? kExitUserError : kExitOk;
}

} // namespace rlg::driver
