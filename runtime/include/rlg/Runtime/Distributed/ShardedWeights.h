// How each decoder parameter is split under tensor parallelism, and moving
// whole weights into and out of a split model.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <map>
#include <string>

namespace rlg::runtime {

class ModelImpl;

/// The dimension a parameter is split along: 0 for column-parallel weights
/// and biases (q/k/v, gate/up, embed_tokens and lm_head rows), 1 for
/// row-parallel weights (o_proj, down_proj), -1 for replicated ones
/// (norms, value_head).
int64_t tensorParallelDim(const std::string &name);

/// The slice of the whole parameter `full` that rank `rank` of `size` holds.
at::Tensor sliceForRank(const at::Tensor &full, const std::string &name,
                        int64_t rank, int64_t size);

/// Copies this rank's slices of whole weights (by parameter name) into a
/// split or unsplit model, without gradients; throws std::invalid_argument
/// naming a missing parameter or a shape that does not match (and then
/// changes nothing). Entries the model lacks are ignored.
void loadFullWeights(ModelImpl &model,
                     const std::map<std::string, at::Tensor> &full);

/// The whole weights of a split model on every rank of its group (a
/// collective of the group); an unsplit model's own parameters.
std::map<std::string, at::Tensor> gatherFullWeights(ModelImpl &model);

} // namespace rlg::runtime
