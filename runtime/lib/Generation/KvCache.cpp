// The key/value cache of batched decoding: preallocated per layer.
#include "rlg/Runtime/Generation/KvCache.h"
#include "rlg/Runtime/Model/ModelSpec.h"
#include "rlg/Runtime/Support/TensorText.h"

#include <stdexcept>
#include <string>

namespace rlg::runtime {
KvCache::KvCache(int64_t layers, int64_t batch, int64_t kvHeads,
                 int64_t maxLength, int64_t headDim,
                 const at::TensorOptions &options) {
  if (layers < 1 || batch < 1 || kvHeads < 1 || maxLength < 1 || headDim < 1)
    throw std::invalid_argument(
        "KvCache: layers, batch, kv heads, max length and head size must all "
        "be >= 1");
  for (int64_t layer = 0; layer < layers; ++layer) {
    keys.push_back(at::zeros({batch, kvHeads, maxLength, headDim}, options));
    values.push_back(at::zeros({batch, kvHeads, maxLength, headDim}, options));
  }
}

KvCache KvCache::forModel(const ModelSpec &spec, int64_t batch,
                          int64_t maxLength, const at::TensorOptions &options,
                          int64_t tensorParallelSize) {
  if (tensorParallelSize < 1 || spec.kvHeads % tensorParallelSize != 0)
    throw std::invalid_argument(
        "KvCache::forModel: kv_heads (" + std::to_string(spec.kvHeads) +
        ") cannot be split over " + std::to_string(tensorParallelSize) +
        " tensor-parallel ranks");
  return KvCache(spec.layers, batch, spec.kvHeads / tensorParallelSize,
                 maxLength, spec.headDim(), options);
}

std::pair<at::Tensor, at::Tensor>
KvCache::update(int64_t layer, const at::Tensor &k, const at::Tensor &v) {
  if (layer < 0 || layer >= numLayers())
    throw std::invalid_argument("KvCache::update: layer " +
                                std::to_string(layer) + " of " +
                                std::to_string(numLayers()));
  at::Tensor &layerKeys = keys[layer];
  at::Tensor &layerValues = values[layer];
  if (k.dim() != 4 || k.sizes() != v.sizes() ||
      k.size(0) != layerKeys.size(0) || k.size(1) != layerKeys.size(1) ||
      k.size(3) != layerKeys.size(3))
    throw std::invalid_argument(
        "KvCache::update: keys " + shapeOf(k) + " and values " + shapeOf(v) +
        " do not match the cache's [B, kv_heads, *, head_dim] = " +
        shapeOf(layerKeys));
  int64_t tokens = k.size(2);
  if (written + tokens > maxLength())
    throw std::invalid_argument("KvCache::update: " + std::to_string(tokens) +
                                " new tokens after " + std::to_string(written) +
                                " do not fit in " +
                                std::to_string(maxLength()) + " columns");
  layerKeys.narrow(2, written, tokens).copy_(k);
  layerValues.narrow(2, written, tokens).copy_(v);
  return {layerKeys.narrow(2, 0, written + tokens),
          layerValues.narrow(2, 0, written + tokens)};
}

void KvCache::advance(int64_t tokens) {
  if (tokens < 0 || written + tokens > maxLength())
    throw std::invalid_argument("KvCache::advance: cannot move from " +
                                std::to_string(written) + " by " +
                                std::to_string(tokens));
  written += tokens;
}

void KvCache::repeatInterleave(int64_t n) {
  if (n < 1)
    throw std::invalid_argument("KvCache::repeatInterleave: n must be >= 1");
  if (n == 1)
    return;
  for (at::Tensor &t : keys)
    t = t.repeat_interleave(n, 0);
  for (at::Tensor &t : values)
    t = t.repeat_interleave(n, 0);
}

} // namespace rlg::runtime
