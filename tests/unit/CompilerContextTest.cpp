// Tests the compiler's MLIR context, module verification and version.
#include "rlg/Compiler/CompilerContext.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace rlg::compiler;

namespace {

TEST(CompilerContextTest, FuncDialectIsLoaded) {
  std::unique_ptr<mlir::MLIRContext> context = createCompilerContext();
  ASSERT_NE(context, nullptr);
  EXPECT_NE(context->getLoadedDialect<mlir::func::FuncDialect>(), nullptr);
  EXPECT_NE(context->getLoadedDialect("func"), nullptr);
  EXPECT_NE(context->getLoadedDialect("builtin"), nullptr);
  // Unregistered dialects are not accepted silently.
  EXPECT_FALSE(context->allowsUnregisteredDialects());
}

TEST(CompilerContextTest, EachCallGivesAFreshContext) {
  std::unique_ptr<mlir::MLIRContext> a = createCompilerContext();
  std::unique_ptr<mlir::MLIRContext> b = createCompilerContext();
  EXPECT_NE(a.get(), b.get());
}

TEST(VerifyModuleTextTest, AcceptsAnEmptyModule) {
  EXPECT_EQ(verifyModuleText("module {}"), "");
}

TEST(VerifyModuleTextTest, AcceptsAFunctionWithAReturn) {
  EXPECT_EQ(verifyModuleText(R"(module {
  func.func @identity(%x: i32) -> i32 {
    func.return %x : i32
  }
  func.func @nothing() {
    return
  }
})"),
            "");
}

TEST(VerifyModuleTextTest, RejectsMalformedText) {
  std::string message = verifyModuleText("module { func.func @f( }");
  EXPECT_FALSE(message.empty());
  EXPECT_FALSE(verifyModuleText("this is not mlir").empty());
}

TEST(VerifyModuleTextTest, RejectsAReturnOfTheWrongArity) {
  std::string message = verifyModuleText(R"(module {
  func.func @f() -> i32 {
    func.return
  }
})");
  EXPECT_FALSE(message.empty());
  EXPECT_NE(message.find("return"), std::string::npos) << message;
}

TEST(VerifyModuleTextTest, RejectsOperationsOfUnknownDialects) {
  EXPECT_FALSE(
      verifyModuleText(R"(module { "rlg.nothing"() : () -> () })").empty());
}

TEST(CompilerContextTest, VersionStringNamesMlir19) {
  std::string version = mlirVersionString();
  EXPECT_EQ(version.rfind("MLIR 19", 0), 0u) << version;
  EXPECT_GT(version.size(), std::string("MLIR 19").size());
}

} // namespace
