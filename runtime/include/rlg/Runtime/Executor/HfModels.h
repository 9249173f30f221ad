// Models a program starts from Hugging Face checkpoint folders (`hf =`):
// their spec and weights at the start, and their folders in checkpoints.
#pragma once

#include "rlg/Runtime/Model/Model.h"
#include "rlg/Schedule/Schedule.h"

#include <filesystem>
#include <map>
#include <string>

namespace rlg::runtime {

/// The spec of `decl`'s checkpoint (its config.json), checked against the
/// sizes the schedule was planned with. Throws RunError.
ModelSpec hfModelSpec(const schedule::Model &decl);

/// Loads `decl`'s checkpoint weights into `model` (split or whole). A value
/// or reward model read from a causal-LM checkpoint keeps its own fresh
/// head. Throws RunError naming the model and the problem.
void loadHfModelWeights(const schedule::Model &decl, ModelImpl &model);

/// Writes `weights` (whole, by the runtime's names) of the model `decl` as a
/// Hugging Face folder `dir` in the dtype of its source checkpoint
/// (float32 when it has none), with its source's tokenizer files copied in:
/// a folder transformers loads as it is. Throws RunError.
void saveHfModelFolder(const schedule::Model &decl, const ModelSpec &spec,
                       ModelRole role,
                       const std::map<std::string, at::Tensor> &weights,
                       const std::filesystem::path &dir);

} // namespace rlg::runtime
