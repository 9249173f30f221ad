// Small helpers on AST nodes.
#include "rlg/DSL/AST.h"

namespace rlg::dsl {

std::string Expr::dottedName() const {
  if (kind == Kind::Name)
    return text;
  if (kind == Kind::Member && lhs) {
    std::string base = lhs->dottedName();
    return base.empty() ? std::string() : base + "." + text;
  }
  return {};
}

} // namespace rlg::dsl
