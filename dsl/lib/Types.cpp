// Printing .rlg types.
#include "rlg/DSL/Types.h"

namespace rlg::dsl {

const char *dataKindName(DataKind kind) {
  switch (kind) {
  case DataKind::Prompts:
    return "prompts";
  case DataKind::Preferences:
    return "pairs";
  case DataKind::Demonstrations:
    return "demos";
  case DataKind::Labeled:
    return "labeled";
  }
  return "?";
}

const char *typeKindName(TypeKind kind) {
  switch (kind) {
  case TypeKind::Error:
    return "<error>";
  case TypeKind::Int:
    return "Int";
  case TypeKind::Float:
    return "Float";
  case TypeKind::String:
    return "String";
  case TypeKind::Bool:
    return "Bool";
  case TypeKind::Model:
    return "Model";
  case TypeKind::Data:
    return "Data";
  case TypeKind::Reward:
    return "Reward";
  case TypeKind::Prompts:
    return "Prompts";
  case TypeKind::Pairs:
    return "Pairs";
  case TypeKind::Demos:
    return "Demos";
  case TypeKind::Labeled:
    return "Labeled";
  case TypeKind::Rollouts:
    return "Rollouts";
  case TypeKind::TokenScores:
    return "TokenScores";
  case TypeKind::SeqScores:
    return "SeqScores";
  case TypeKind::PairScores:
    return "PairScores";
  case TypeKind::Advantages:
    return "Advantages";
  case TypeKind::Loss:
    return "Loss";
  }
  return "?";
}

std::string Type::shape() const {
  if (!hasBatch())
    return "";
  std::string out = "[";
  if (dynamicBatch)
    out += "<=";
  out += std::to_string(batch);
  if (samples > 0)
    out += " x " + std::to_string(samples);
  return out + "]";
}

std::string Type::str() const {
  std::string out = typeKindName(kind);
  if (kind == TypeKind::Model)
    return out + "(" + (frozen ? "frozen " : "") + role + ")";
  if (kind == TypeKind::Data)
    return out + "(" + dataKindName(dataKind) + ")";
  return out + shape();
}

} // namespace rlg::dsl
