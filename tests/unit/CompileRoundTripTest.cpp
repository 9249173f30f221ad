// Every program: IR -> schedule -> JSON -> read -> equal; and the planned IR
// printed with locations, parsed back and exported gives the same schedule.
#include "rlg/Compiler/CompilerContext.h"
#include "rlg/DSL/Frontend.h"
#include "rlg/Export/ExportSchedule.h"
#include "rlg/Lowering/LowerProgram.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Transforms/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace {

std::vector<std::string> programFiles() {
  std::vector<std::string> files;
  for (const auto &entry :
       std::filesystem::directory_iterator(RLG_PROGRAMS_DIR))
    if (entry.path().extension() == ".rlg")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

/// Compiles a program to planned IR in `context`; null on any error.
mlir::OwningOpRef<mlir::ModuleOp> plan(mlir::MLIRContext &context,
                                       const std::string &file) {
  rlg::SourceManager sources;
  rlg::DiagnosticEngine diags(sources);
  std::string error;
  auto buffer = sources.addFile(file, error);
  if (!buffer)
    return nullptr;
  rlg::dsl::FrontendResult frontend =
      rlg::dsl::runFrontend(*buffer, sources, diags);
  if (diags.hasErrors())
    return nullptr;
  auto module = rlg::lowering::lowerProgram(context, frontend, sources, file);
  if (!module || mlir::failed(mlir::verify(*module)))
    return nullptr;
  mlir::PassManager pm(&context);
  rlg::buildRlgPipeline(pm, rlg::PipelineOptions{});
  if (mlir::failed(pm.run(*module)))
    return nullptr;
  return module;
}

class CompileRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(CompileRoundTrip, ScheduleSurvivesJsonAndValidates) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = plan(*context, GetParam());
  ASSERT_TRUE(module) << "compiling " << GetParam();
  mlir::FailureOr<rlg::schedule::Schedule> exported =
      rlg::exporter::exportSchedule(*module);
  ASSERT_TRUE(mlir::succeeded(exported));

  std::vector<rlg::schedule::ScheduleError> errors;
  rlg::schedule::validateSchedule(*exported, errors);
  EXPECT_TRUE(errors.empty()) << rlg::schedule::formatScheduleError(errors[0]);

  std::string text = rlg::schedule::writeScheduleJson(*exported);
  rlg::schedule::Schedule read;
  ASSERT_TRUE(rlg::schedule::readScheduleJson(text, read, errors))
      << rlg::schedule::formatScheduleError(errors[0]);
  EXPECT_EQ(read, *exported);
  EXPECT_EQ(rlg::schedule::writeScheduleJson(read), text);
  // Every step op keeps its .rlg location.
  for (const auto &step : read.steps)
    for (const auto &op : step.ops)
      EXPECT_NE(op.loc.find(".rlg:"), std::string::npos) << op.id;
}

TEST_P(CompileRoundTrip, PrintedIrParsesBackToTheSameSchedule) {
  auto context = rlg::compiler::createCompilerContext();
  auto module = plan(*context, GetParam());
  ASSERT_TRUE(module);
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os, mlir::OpPrintingFlags().enableDebugInfo());
  os.flush();

  auto reparsed =
      mlir::parseSourceString<mlir::ModuleOp>(printed, context.get());
  ASSERT_TRUE(reparsed);
  ASSERT_TRUE(mlir::succeeded(mlir::verify(*reparsed)));
  auto first = rlg::exporter::exportSchedule(*module);
  auto second = rlg::exporter::exportSchedule(*reparsed);
  ASSERT_TRUE(mlir::succeeded(first) && mlir::succeeded(second));
  EXPECT_EQ(*first, *second);
}

TEST(CompileExport, UnplannedModuleIsRejected) {
  auto context = rlg::compiler::createCompilerContext();
  std::string error;
  context->getDiagEngine().registerHandler([&](mlir::Diagnostic &diag) {
    error = diag.str();
    return mlir::success();
  });
  auto module = mlir::parseSourceString<mlir::ModuleOp>(
      "rlg.data @d {kind = \"prompts\", source = \"task.arith\", answers, "
      "args = {}}",
      context.get());
  ASSERT_TRUE(module);
  EXPECT_TRUE(mlir::failed(rlg::exporter::exportSchedule(*module)));
  EXPECT_NE(error.find("not planned"), std::string::npos) << error;
}

std::string testName(const ::testing::TestParamInfo<std::string> &info) {
  return std::filesystem::path(info.param).stem().string();
}

INSTANTIATE_TEST_SUITE_P(Programs, CompileRoundTrip,
                         ::testing::ValuesIn(programFiles()), testName);

} // namespace
