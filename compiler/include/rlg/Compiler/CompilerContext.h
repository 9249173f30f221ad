// The MLIR context the compiler works in, with the dialects it loads.
#pragma once

#include <memory>
#include <string>

namespace mlir {
class MLIRContext;
}

namespace rlg::compiler {

/// A context with every dialect the compiler uses loaded.
std::unique_ptr<mlir::MLIRContext> createCompilerContext();

/// Parses MLIR text in a compiler context and verifies it; returns "" when
/// it is valid, or the first diagnostic otherwise.
std::string verifyModuleText(const std::string &text);

/// "MLIR 19.1.7" (the version the compiler was built against).
std::string mlirVersionString();

} // namespace rlg::compiler
