// The key/value cache of batched decoding: preallocated per layer.
#pragma once

#include "rlg/Runtime/TorchCompat.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace rlg::runtime {

struct ModelSpec;

/// Keys and values of every layer, [B, kvHeads, maxLength, headDim] each,
/// allocated once. A forward pass over T new tokens writes each layer's
/// keys and values at columns [length, length + T) and then advances the
/// write position by T; attention reads columns [0, length + T). All rows
/// share the write position: left padding lines the prompts up, and a
/// finished row keeps being written (with masked-out padding).
class KvCache {
public:
  KvCache(int64_t layers, int64_t batch, int64_t kvHeads, int64_t maxLength,
          int64_t headDim, const at::TensorOptions &options);
  /// A cache for `spec`'s layers and heads; for a model split over
  /// `tensorParallelSize` ranks, this rank's kv_heads / size heads.
  static KvCache forModel(const ModelSpec &spec, int64_t batch,
                          int64_t maxLength, const at::TensorOptions &options,
                          int64_t tensorParallelSize = 1);

  int64_t numLayers() const { return static_cast<int64_t>(keys.size()); }
  int64_t batch() const { return keys.empty() ? 0 : keys[0].size(0); }
  int64_t maxLength() const { return keys.empty() ? 0 : keys[0].size(2); }
  /// Columns written so far.
  int64_t length() const { return written; }

  /// Writes k and v [B, kvHeads, T, headDim] of `layer` at the write position
  /// and returns the layer's keys and values [B, kvHeads, length + T,
  /// headDim] (views of the cache). Throws std::invalid_argument when the
  /// new tokens do not fit or the shapes differ from the cache's.
  std::pair<at::Tensor, at::Tensor> update(int64_t layer, const at::Tensor &k,
                                           const at::Tensor &v);
  /// Moves the write position on by `tokens` once every layer has written.
  void advance(int64_t tokens);

  /// Repeats every row n times in place (row b becomes rows b*n .. b*n+n-1):
  /// n samples of each prompt share one prefill.
  void repeatInterleave(int64_t n);

private:
  std::vector<at::Tensor> keys;
  std::vector<at::Tensor> values;
  int64_t written = 0;
};

} // namespace rlg::runtime
