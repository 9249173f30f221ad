// Attribute, type and location conversion for the schedule export.
#include "ExportSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;

namespace rlg::exporter {

schedule::AttrValue toAttrValue(Attribute attr) {
  using schedule::AttrValue;
  if (auto b = llvm::dyn_cast<BoolAttr>(attr))
    return AttrValue::ofBool(b.getValue());
  if (llvm::isa<UnitAttr>(attr))
    return AttrValue::ofBool(true);
  if (auto i = llvm::dyn_cast<IntegerAttr>(attr))
    return AttrValue::ofInt(i.getInt());
  if (auto f = llvm::dyn_cast<FloatAttr>(attr))
    return AttrValue::ofFloat(f.getValueAsDouble());
  if (auto s = llvm::dyn_cast<StringAttr>(attr))
    return AttrValue::ofString(s.str());
  if (auto sym = llvm::dyn_cast<FlatSymbolRefAttr>(attr))
    return AttrValue::ofString(sym.getValue().str());
  if (auto array = llvm::dyn_cast<ArrayAttr>(attr)) {
    std::vector<AttrValue> values;
    for (Attribute element : array)
      values.push_back(toAttrValue(element));
    return AttrValue::ofList(std::move(values));
  }
  if (auto array = llvm::dyn_cast<DenseF64ArrayAttr>(attr)) {
    std::vector<AttrValue> values;
    for (double element : array.asArrayRef())
      values.push_back(AttrValue::ofFloat(element));
    return AttrValue::ofList(std::move(values));
  }
  if (auto dict = llvm::dyn_cast<DictionaryAttr>(attr))
    return AttrValue::ofObject(toAttrEntries(dict));
  return {};
}

std::vector<schedule::AttrEntry> toAttrEntries(DictionaryAttr dict) {
  std::vector<schedule::AttrEntry> entries;
  if (!dict)
    return entries;
  for (NamedAttribute named : dict)
    entries.push_back({named.getName().str(), toAttrValue(named.getValue())});
  return entries;
}

std::string typeText(Type type) {
  std::string kind =
      llvm::TypeSwitch<Type, std::string>(type)
          .Case<ir::PromptsType>([](auto) { return "Prompts"; })
          .Case<ir::PairsType>([](auto) { return "Pairs"; })
          .Case<ir::DemosType>([](auto) { return "Demos"; })
          .Case<ir::LabeledType>([](auto) { return "Labeled"; })
          .Case<ir::RolloutsType>([](auto) { return "Rollouts"; })
          .Case<ir::TokenScoresType>([](auto) { return "TokenScores"; })
          .Case<ir::SeqScoresType>([](auto) { return "SeqScores"; })
          .Case<ir::PairScoresType>([](auto) { return "PairScores"; })
          .Case<ir::AdvantagesType>([](auto) { return "Advantages"; })
          .Default([](Type) { return ""; });
  if (kind.empty())
    return "";
  return kind + ir::shapeText(type);
}

namespace {
FileLineColLoc findFileLineCol(Location loc) {
  if (auto file = llvm::dyn_cast<FileLineColLoc>(loc))
    return file;
  if (auto name = llvm::dyn_cast<NameLoc>(loc))
    return findFileLineCol(name.getChildLoc());
  if (auto fused = llvm::dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (FileLineColLoc file = findFileLineCol(inner))
        return file;
  return {};
}
} // namespace

std::string locText(Location loc) {
  FileLineColLoc file = findFileLineCol(loc);
  if (!file)
    return "";
  return file.getFilename().str() + ":" + std::to_string(file.getLine()) + ":" +
         std::to_string(file.getColumn());
}

std::string locName(Location loc) {
  if (auto name = llvm::dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
}

schedule::Layout toLayout(ir::LayoutAttr layout) {
  schedule::Layout out;
  out.dp = layout.getDp();
  out.tp = layout.getTp();
  out.pp = layout.getPp();
  out.zero = layout.getZero();
  out.microbatch = layout.getMicrobatch();
  out.checkpointing = layout.getCheckpointing();
  out.offload = layout.getOffload();
  return out;
}

std::string MeshTable::idOf(llvm::ArrayRef<int64_t> devices) {
  std::vector<int64_t> key(devices.begin(), devices.end());
  auto it = ids_.find(key);
  if (it != ids_.end())
    return it->second;
  std::string id = "m" + std::to_string(ids_.size());
  ids_[key] = id;
  meshes_[id] = key;
  return id;
}

std::string MeshTable::idOfUnion(llvm::ArrayRef<int64_t> a,
                                 llvm::ArrayRef<int64_t> b) {
  std::vector<int64_t> all(a.begin(), a.end());
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return idOf(all);
}

std::string OpIds::assign(Operation *op) {
  std::string base = locName(op->getLoc());
  if (base.empty())
    base = op->getName().stripDialect().str();
  std::string id = base;
  // A name used twice (or a generated one) gets a numeric suffix.
  while (used_.count(id))
    id = base + "_" + std::to_string(++used_[base]);
  used_[id];
  ids_[op] = id;
  return id;
}

std::string OpIds::idOf(Value value) const {
  return idOf(value.getDefiningOp());
}

std::string OpIds::idOf(Operation *op) const {
  auto it = op ? ids_.find(op) : ids_.end();
  return it == ids_.end() ? "" : it->second;
}

} // namespace rlg::exporter
