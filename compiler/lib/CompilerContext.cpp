// Creating the compiler's MLIR context with the rlg dialect loaded.
#include "rlg/Compiler/CompilerContext.h"

#include "rlg/Dialect/RLG/IR/RLGDialect.h"
#include "rlg/Transforms/Passes.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Config/llvm-config.h"

namespace rlg::compiler {

void registerCompilerDialects(mlir::DialectRegistry &registry) {
  registry.insert<rlg::ir::RLGDialect, mlir::func::FuncDialect>();
}

void registerCompilerPasses() {
  rlg::registerRLGPasses();
  rlg::registerRlgPipeline();
}

std::unique_ptr<mlir::MLIRContext> createCompilerContext() {
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

std::string verifyModuleText(const std::string &text) {
  std::unique_ptr<mlir::MLIRContext> context = createCompilerContext();
  std::string firstError;
  mlir::ScopedDiagnosticHandler handler(context.get(),
                                        [&](mlir::Diagnostic &diag) {
                                          if (firstError.empty())
                                            firstError = diag.str();
                                          return mlir::success();
                                        });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
  if (!module)
    return firstError.empty() ? "parse failed" : firstError;
  if (mlir::failed(mlir::verify(*module)))
    return firstError.empty() ? "verification failed" : firstError;
  return "";
}

std::string mlirVersionString() { return "MLIR " LLVM_VERSION_STRING; }

} // namespace rlg::compiler
