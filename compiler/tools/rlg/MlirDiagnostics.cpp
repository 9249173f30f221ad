// Renders MLIR diagnostics with the front end's renderer.
#include "MlirDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <cctype>

namespace rlg::driver {

namespace {

mlir::FileLineColLoc fileLocOf(mlir::Location loc) {
  if (auto file = llvm::dyn_cast<mlir::FileLineColLoc>(loc))
    return file;
  if (auto name = llvm::dyn_cast<mlir::NameLoc>(loc))
    return fileLocOf(name.getChildLoc());
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(loc))
    for (mlir::Location inner : fused.getLocations())
      if (auto file = fileLocOf(inner))
        return file;
  return {};
}

} // namespace

MlirDiagnosticBridge::MlirDiagnosticBridge(mlir::MLIRContext &context,
                                           const SourceManager &sources,
                                           uint32_t buffer, std::ostream &os,
                                           bool color)
    : context_(context), sources_(sources), buffer_(buffer), os_(os),
      color_(color) {
  id_ = context_.getDiagEngine().registerHandler(
      [this](mlir::Diagnostic &diag) { return handle(diag); });
}

MlirDiagnosticBridge::~MlirDiagnosticBridge() {
  context_.getDiagEngine().eraseHandler(id_);
}

SourceRange MlirDiagnosticBridge::rangeOf(mlir::Location loc,
                                          std::string &where) const {
  mlir::FileLineColLoc file = fileLocOf(loc);
  if (!file)
    return {};
  where = file.getFilename().str() + ":" + std::to_string(file.getLine()) +
          ":" + std::to_string(file.getColumn());
  if (file.getFilename() != sources_.name(buffer_))
    return {};
  std::string_view text = sources_.text(buffer_);
  // Walk to the line, then to the column (both count from 1).
  size_t offset = 0;
  for (unsigned line = 1; line < file.getLine() && offset < text.size();
       ++offset)
    if (text[offset] == '\n')
      ++line;
  offset += file.getColumn() > 0 ? file.getColumn() - 1 : 0;
  if (offset > text.size())
    return {};
  // Underline the word that starts there (a name or a keyword).
  size_t end = offset;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) ||
          text[end] == '_' || text[end] == '.'))
    ++end;
  if (end == offset && end < text.size())
    ++end;
  return {{buffer_, static_cast<uint32_t>(offset)}, static_cast<uint32_t>(end)};
}

mlir::LogicalResult MlirDiagnosticBridge::handle(mlir::Diagnostic &diag) {
  Diagnostic out;
  switch (diag.getSeverity()) {
  case mlir::DiagnosticSeverity::Error:
    out.severity = Severity::Error;
    ++errors_;
    break;
  case mlir::DiagnosticSeverity::Warning:
    out.severity = Severity::Warning;
    break;
  default:
    out.severity = Severity::Note;
    break;
  }
  std::string where;
  out.range = rangeOf(diag.getLocation(), where);
  out.message = diag.str();
  for (mlir::Diagnostic &note : diag.getNotes()) {
    std::string text = note.str();
    // A note at the error's own place (or nowhere) says what to do next.
    bool samePlace = note.getLocation() == diag.getLocation() ||
                     llvm::isa<mlir::UnknownLoc>(note.getLocation());
    if (text.rfind("hint: ", 0) == 0 || (samePlace && out.hint.empty())) {
      out.hint = text.rfind("hint: ", 0) == 0 ? text.substr(6) : text;
      continue;
    }
    std::string noteWhere;
    out.notes.push_back({rangeOf(note.getLocation(), noteWhere), text});
  }
  if (!out.range.isValid() && !where.empty())
    out.message = where + ": " + out.message;
  renderDiagnostic(os_, sources_, out, color_);
  return mlir::success();
}

} // namespace rlg::driver
