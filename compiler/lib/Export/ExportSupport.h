// What the schedule export's parts share: attribute and type conversion,
// locations, op ids and the mesh table.
#pragma once

#include "rlg/Dialect/RLG/IR/RLGOps.h"
#include "rlg/Schedule/Schedule.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <string>
#include <vector>

namespace rlg::exporter {

/// An MLIR attribute as a schedule attribute value (integers, floats,
/// strings, bools, units as true, arrays, dictionaries, symbol names as
/// strings); a Null value for anything else.
schedule::AttrValue toAttrValue(mlir::Attribute attr);
/// A dictionary's entries in their (sorted) order.
std::vector<schedule::AttrEntry> toAttrEntries(mlir::DictionaryAttr dict);

/// "Rollouts[16 x 8]": a batch type in the program's notation.
std::string typeText(mlir::Type type);

/// "file:line:col" of the FileLineColLoc inside `loc`, or "".
std::string locText(mlir::Location loc);
/// The NameLoc name of `loc`, or "".
std::string locName(mlir::Location loc);

/// A layout attribute as the schedule's layout.
schedule::Layout toLayout(ir::LayoutAttr layout);

/// Gives every distinct mesh an id ("m0", "m1", ...) in order of first use.
class MeshTable {
public:
  std::string idOf(llvm::ArrayRef<int64_t> devices);
  /// The id of the union of two meshes' devices, in ascending rank order.
  std::string idOfUnion(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);
  const std::map<std::string, std::vector<int64_t>> &meshes() const {
    return meshes_;
  }

private:
  std::map<std::vector<int64_t>, std::string> ids_;
  std::map<std::string, std::vector<int64_t>> meshes_;
};

/// Unique op ids within one step: the program's value names, made unique.
class OpIds {
public:
  std::string assign(mlir::Operation *op);
  std::string idOf(mlir::Value value) const;
  std::string idOf(mlir::Operation *op) const;

private:
  llvm::DenseMap<mlir::Operation *, std::string> ids_;
  std::map<std::string, int> used_;
};

} // namespace rlg::exporter
