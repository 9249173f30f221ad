// Grouped-query self-attention with rotary positions and an optional cache.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"
#include "rlg/Runtime/Model/ModelSpec.h"
#include "rlg/Runtime/Model/Rotary.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace rlg::runtime {

class KvCache;

/// heads query heads share kvHeads key/value heads: query head h reads
/// key/value head h / (heads / kvHeads). q, k and v have biases when
/// spec.qkvBias; the output projection never has one.
///
/// Split over `tp` (Megatron style), rank r holds query heads
/// [r * heads / tp, (r + 1) * heads / tp) and the key/value heads they
/// read, contiguous: q, k and v are column-parallel (rows of their weights)
/// and o_proj row-parallel (its columns), its partial sums reduced over
/// the group. The spec must pass validateTensorParallel(tp.size()).
class AttentionImpl : public torch::nn::Module {
public:
  explicit AttentionImpl(const ModelSpec &spec, TensorParallel tp = {});

  /// x [B, T, hidden], angles for the T new positions, bias [B, 1, T, S]
  /// (S = T without a cache, cache length + T with one) -> [B, T, hidden].
  /// With a cache, the new keys and values (this rank's heads) are written
  /// to `layer`.
  at::Tensor forward(const at::Tensor &x, const RotaryAngles &angles,
                     const at::Tensor &bias, KvCache *cache = nullptr,
                     int64_t layer = 0);

  torch::nn::Linear qProj{nullptr}, kProj{nullptr}, vProj{nullptr},
      oProj{nullptr};

private:
  TensorParallel tp;
  int64_t heads, kvHeads, headDim; // this rank's heads
};
TORCH_MODULE(Attention);

/// Key/value heads [B, kvHeads, S, D] repeated for the query heads:
/// [B, kvHeads * groups, S, D], head h being input head h / groups.
at::Tensor repeatKvHeads(const at::Tensor &x, int64_t groups);

} // namespace rlg::runtime
