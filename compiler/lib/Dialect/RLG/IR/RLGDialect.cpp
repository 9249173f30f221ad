// Registration of the rlg dialect's types, attributes and ops, and the
// verifier of its discardable attributes.
#include "rlg/Dialect/RLG/IR/RLGDialect.h"

#include "rlg/Dialect/RLG/IR/RLGAttrs.h"
#include "rlg/Dialect/RLG/IR/RLGOps.h"
#include "rlg/Dialect/RLG/IR/RLGTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include "rlg/Dialect/RLG/IR/RLGDialect.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "rlg/Dialect/RLG/IR/RLGAttrs.cpp.inc"

void rlg::ir::RLGDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "rlg/Dialect/RLG/IR/RLGTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "rlg/Dialect/RLG/IR/RLGAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "rlg/Dialect/RLG/IR/RLGOps.cpp.inc"
      >();
}

void rlg::ir::nameResultsFromLoc(mlir::Operation *op,
                                 mlir::OpAsmSetValueNameFn setNameFn) {
  auto name = llvm::dyn_cast<mlir::NameLoc>(op->getLoc());
  if (!name || op->getNumResults() != 1)
    return;
  setNameFn(op->getResult(0), name.getName().getValue());
}

mlir::LogicalResult
rlg::ir::RLGDialect::verifyOperationAttribute(mlir::Operation *op,
                                              mlir::NamedAttribute attr) {
  llvm::StringRef name = attr.getName().getValue();
  if (name == kPlacementAttrName) {
    if (!llvm::isa<PlacementAttr>(attr.getValue()))
      return op->emitOpError()
             << "'" << name << "' must be a #rlg.placement attribute";
    if (!op->getParentOfType<StepOp>())
      return op->emitOpError()
             << "'" << name << "' belongs on an op inside an rlg.step";
    return mlir::success();
  }
  if (name == kSourceAttrName || name == kProgramAttrName) {
    if (!llvm::isa<mlir::ModuleOp>(op) ||
        !llvm::isa<mlir::StringAttr>(attr.getValue()))
      return op->emitOpError()
             << "'" << name << "' is a string attribute of the module";
    return mlir::success();
  }
  if (name == kDevicesAttrName) {
    auto dict = llvm::dyn_cast<mlir::DictionaryAttr>(attr.getValue());
    auto count = dict ? dict.getAs<mlir::IntegerAttr>("count") : nullptr;
    auto kind = dict ? dict.getAs<mlir::StringAttr>("kind") : nullptr;
    if (!llvm::isa<mlir::ModuleOp>(op) || !count || !kind || dict.size() != 2)
      return op->emitOpError()
             << "'" << name
             << "' is {count = N : i64, kind = \"cpu\" or \"cuda\"} on the "
                "module";
    if (count.getInt() < 1)
      return op->emitOpError()
             << "'" << name << "' needs at least 1 device, got "
             << count.getInt();
    if (kind.getValue() != "cpu" && kind.getValue() != "cuda")
      return op->emitOpError()
             << "'" << name << "' kind must be \"cpu\" or \"cuda\", got \""
             << kind.getValue() << "\"";
    return mlir::success();
  }
  if (name == kPredictionsAttrName || name == kOverlapAttrName) {
    if (!llvm::isa<mlir::DictionaryAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name << "' must be a dictionary";
    if (name == kOverlapAttrName && !op->getParentOfType<StepOp>())
      return op->emitOpError()
             << "'" << name << "' belongs on an op inside an rlg.step";
    return mlir::success();
  }
  return op->emitOpError() << "unknown rlg attribute '" << name << "'";
}
