// The MLIR context the compiler works in, with the dialects it loads.
#pragma once

#include <memory>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace rlg::compiler {

/// Adds every dialect the compiler uses (rlg, func) to `registry`.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Registers the compiler's passes with the global pass registry, so that
/// rlg-opt can name them.
void registerCompilerPasses();

/// A context with every dialect the compiler uses loaded.
std::unique_ptr<mlir::MLIRContext> createCompilerContext();

/// Parses MLIR text in a compiler context and verifies it; returns "" when
/// it is valid, or the first diagnostic otherwise.
std::string verifyModuleText(const std::string &text);

/// "MLIR 19.1.7" (the version the compiler was built against).
std::string mlirVersionString();

} // namespace rlg::compiler
