// Moving a model's weights from its training layout to its generation
// layout on the same devices (HybridFlow's zero-redundancy resharding with
// micro-data-parallel groups). docs/cost-model.md, "Resharding".
#pragma once

#include "rlg/Planner/ModelCosts.h"
#include "rlg/Spec/ClusterSpec.h"

namespace rlg::planner {

/// Weight tensors a Llama/Qwen-style model is made of: seven matmul weights
/// and two norms per layer, the embedding, the final norm, an untied head.
int64_t weightTensorCount(const ModelArch &arch);

/// Seconds to turn training shards into generation shards (genTp ways, no
/// pipeline) of the bf16 weights: each device all-gathers its generation
/// shard within the group of devices whose training shards (tp x pp ways,
/// also dp ways under ZeRO-3) hold its pieces, one collective per weight
/// tensor. Zero when every generation shard is a slice of a training shard
/// (pp = 1, no ZeRO-3, genTp a multiple of tp).
double reshardSeconds(const ModelArch &arch, const ClusterSpec &cluster,
                      const TrainLayout &train, int64_t genTp);

} // namespace rlg::planner
