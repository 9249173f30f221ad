// Frozen copies of models and weight transfer between models.
#pragma once

#include "rlg/Runtime/Model/Model.h"

#include <string>
#include <vector>

namespace rlg::runtime {

/// A new model with the source's spec, role, tensor-parallel split, device,
/// dtypes and precision whose parameters are clones (no tensor is shared),
/// with requires_grad false, in eval mode and without checkpointing: the
/// reference policy of a KL penalty. Later updates of the source leave the
/// copy unchanged.
Model frozenCopy(const Model &source);

/// Copies every parameter of `from` into the parameter of `to` with the
/// same name and shape (`from = OTHER`: the body moves, a head `from` lacks
/// keeps its fresh weights). A tied policy's embed_tokens also fills an
/// untied lm_head. Returns the names of the parameters of `to` that were
/// filled.
std::vector<std::string> copyMatchingWeights(const Model &from, Model &to);

} // namespace rlg::runtime
