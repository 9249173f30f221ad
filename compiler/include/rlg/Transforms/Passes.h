// The rlg compiler's passes, declared in Passes.td.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace rlg {

#define GEN_PASS_DECL
#include "rlg/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rlg/Transforms/Passes.h.inc"

} // namespace rlg
