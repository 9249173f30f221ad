// Grouped-query self-attention with rotary positions and an optional cache.
#include "rlg/Runtime/Model/Attention.h"
#include "rlg/Runtime/Generation/KvCache.h"

namespace rlg::runtime {

AttentionImpl::AttentionImpl(const ModelSpec &spec, TensorParallel tp)
    : tp(tp), heads(tp.sliceLength(spec.heads)),
      kvHeads(tp.sliceLength(spec.kvHeads)), headDim(spec.headDim()) {
  using torch::nn::LinearOptions;
  int64_t kvWidth = kvHeads * headDim;
  qProj = register_module(
      "q_proj",
      torch::nn::Linear(
          LinearOptions(spec.hidden, heads * headDim).bias(spec.qkvBias)));
  kProj = register_module(
      "k_proj", torch::nn::Linear(
                    LinearOptions(spec.hidden, kvWidth).bias(spec.qkvBias)));
  vProj = register_module(
      "v_proj", torch::nn::Linear(
                    LinearOptions(spec.hidden, kvWidth).bias(spec.qkvBias)));
  oProj = register_module(
      "o_proj", torch::nn::Linear(
                    LinearOptions(heads * headDim, spec.hidden).bias(false)));
}

at::Tensor repeatKvHeads(const at::Tensor &x, int64_t groups) {
  if (groups == 1)
    return x;
  int64_t batch = x.size(0), kvHeads = x.size(1), length = x.size(2),
          dim = x.size(3);
  return x.unsqueeze(2)
      .expand({batch, kvHeads, groups, length, dim})
      .reshape({batch, kvHeads * groups, length, dim});
}

at::Tensor AttentionImpl::forward(const at::Tensor &x,
                                  const RotaryAngles &angles,
                                  const at::Tensor &bias, KvCache *cache,
                                  int64_t layer) {
  int64_t batch = x.size(0), tokens = x.size(1);
  auto split = [&](const at::Tensor &projected, int64_t numHeads) {
    return projected.view({batch, tokens, numHeads, headDim}).transpose(1, 2);
  };
  at::Tensor input = copyToTensorParallel(x, tp);
  at::Tensor q = applyRotary(split(qProj(input), heads), angles);
  at::Tensor k = applyRotary(split(kProj(input), kvHeads), angles);
  at::Tensor v = split(vProj(input), kvHeads);
  if (cache)
    std::tie(k, v) = cache->update(layer, k, v);
  int64_t groups = heads / kvHeads;
  at::Tensor out = compat::scaledDotProductAttention(
      q, repeatKvHeads(k, groups), repeatKvHeads(v, groups), bias);
  at::Tensor partial =
      oProj(out.transpose(1, 2).reshape({batch, tokens, heads * headDim}));
  return reduceFromTensorParallel(partial, tp);
}

} // namespace rlg::runtime
