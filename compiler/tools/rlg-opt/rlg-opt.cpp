// rlg-opt: runs rlg passes on MLIR text, for tests and for looking at the IR.
#include "rlg/Compiler/CompilerContext.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  rlg::compiler::registerCompilerDialects(registry);
  rlg::compiler::registerCompilerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "rlg optimiser driver\n", registry));
}
