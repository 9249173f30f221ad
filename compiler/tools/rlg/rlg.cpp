// The rlg driver: one binary with a subcommand per phase.
#include "Commands.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#ifdef RLG_HAVE_MLIR
#include "rlg/Compiler/CompilerContext.h"
#endif
#ifdef RLG_HAVE_TORCH
#include "rlg/Runtime/RuntimeInfo.h"
#endif

using namespace rlg::driver;

namespace {

void printVersion() {
  std::cout << "rlg 0.1.0\n";
#ifdef RLG_HAVE_MLIR
  std::cout << "  compiler: " << rlg::compiler::mlirVersionString() << '\n';
#else
  std::cout << "  compiler: not built (configured without MLIR)\n";
#endif
#ifdef RLG_HAVE_TORCH
  rlg::runtime::RuntimeInfo info = rlg::runtime::queryRuntimeInfo();
  std::cout << "  runtime: LibTorch " << info.torchVersion << ", CUDA "
            << (info.cudaAvailable ? std::to_string(info.cudaDevices) + " device(s)"
                                   : std::string("not available"))
            << '\n';
#else
  std::cout << "  runtime: not built (configured without LibTorch)\n";
#endif
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"rlg: a dataflow-graph language and compiler for RL pipelines that "
               "train language models"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and the halves built");

  CheckOptions check;
  CLI::App *checkCmd = app.add_subcommand("check", "Parse and check .rlg programs");
  checkCmd->add_option("files", check.files, "Programs to check")->required();
  checkCmd->add_flag("--dump-ast", check.dumpAst, "Print the checked AST");
  checkCmd->add_flag("--summary", check.summary,
                     "Print each program's models, nodes and edges");
  checkCmd->add_flag("--Werror", check.warningsAsErrors, "Treat warnings as errors");
  checkCmd->add_option("--color", check.color, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUserError;
  }
  try {
    if (version) {
      printVersion();
      return kExitOk;
    }
    if (checkCmd->parsed())
      return runCheck(check);
    std::cout << app.help();
    return kExitOk;
  } catch (const std::exception &e) {
    std::cerr << "rlg: internal error: " << e.what() << '\n';
    return kExitInternalError;
  } catch (...) {
    std::cerr << "rlg: internal error\n";
    return kExitInternalError;
  }
}
