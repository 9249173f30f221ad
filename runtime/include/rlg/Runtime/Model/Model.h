// The runtime's decoder: embeddings, blocks, final norm and a role's head.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"
#include "rlg/Runtime/Model/DecoderBlock.h"
#include "rlg/Runtime/Model/ModelSpec.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>

#include <cstdint>

namespace rlg::runtime {

class KvCache;

/// A Llama/Qwen2-style decoder. Parameter names follow the Hugging Face
/// layout: embed_tokens, layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj,
/// post_attention_layernorm, mlp.{gate,up,down}_proj}, norm, and lm_head
/// (untied policy) or value_head (value and reward models, hidden -> 1 with
/// a bias). A tied policy's logits use embed_tokens' weight.
///
/// Inputs are input_ids [B, T] (integer) and attention_mask [B, T] (1 real,
/// 0 padding; see AttentionMask.h for left-padded prompts and positions).
///
/// Tensor parallelism: a model built with an active TensorParallel holds
/// this rank's slice of every split weight (Megatron style; which parameter
/// is split along which dimension: Distributed/ShardedWeights.h). The
/// parameter names stay the same, only their shapes shrink. embed_tokens
/// is vocab-parallel (vocab / tp rows each; ids outside the slice look up
/// zeros before the sum over the group), the attention and MLP are split
/// (Attention.h, FeedForward.h), the norms and value_head replicated, and
/// the policy head (lm_head, or the local embed_tokens slice when tied) is
/// column-parallel: a split policy's logits are this rank's vocabulary
/// slice [..., vocab / tp] (gatherLastDim joins them; Scoring.cpp computes
/// log-probs without joining them). Every rank of the group must run the
/// same calls with the same inputs. Each weight equals the unsplit model's
/// slice exactly: initialisation draws the whole tensor and keeps the slice.
class ModelImpl : public torch::nn::Module {
public:
  /// Validates the spec (and its split over `tp`) and initialises the
  /// weights from `seed`.
  ModelImpl(const ModelSpec &spec, ModelRole role, uint64_t seed = 0,
            TensorParallel tp = {});

  /// The head's output: logits [B, T, vocab] for a policy ([B, T, vocab /
  /// tp], this rank's slice, when split), values [B, T] for value and
  /// reward models. With a cache, input_ids are the T new
  /// tokens, attention_mask covers the cache's columns and the new ones
  /// ([B, cache length + T]), and the new keys and values are appended.
  at::Tensor forward(const at::Tensor &inputIds,
                     const at::Tensor &attentionMask, KvCache *cache = nullptr);

  /// The final-norm hidden states [B, T, hidden] (same arguments).
  at::Tensor hiddenStates(const at::Tensor &inputIds,
                          const at::Tensor &attentionMask,
                          KvCache *cache = nullptr);
  /// The head applied to hidden states [..., hidden]: logits [..., vocab]
  /// ([..., vocab / tp] when split) or values [...].
  at::Tensor applyHead(const at::Tensor &hidden);

  /// A reward model's score per sequence [B]: the value at each row's last
  /// real token. Throws std::logic_error for a policy.
  at::Tensor sequenceScores(const at::Tensor &inputIds,
                            const at::Tensor &attentionMask);

  /// Re-initialises every weight from `seed`: normal(0, 0.02) for
  /// embeddings and projections, 0.02 / sqrt(2 * layers) for the output
  /// projections (o_proj, down_proj), zero biases, unit norm scales. Each
  /// parameter draws from its own generator seeded by (seed, name), so the
  /// same seed gives the same body to a policy and a value model. A split
  /// model draws each whole tensor and keeps its slice.
  void initializeWeights(uint64_t seed);

  /// Recompute each block in backward instead of keeping its activations.
  /// Used only when gradients are being recorded and without a cache.
  void setCheckpointing(bool enabled) { checkpointing = enabled; }
  bool checkpointingEnabled() const { return checkpointing; }

  /// Runs hiddenStates and applyHead (so forward, generation and scoring)
  /// in `precision` (see Precision). Bf16 keeps float32 weights and runs
  /// each pass under compat::CudaAutocastGuard; it changes nothing on the
  /// CPU. Callers compute log-probs and losses from the head's output cast
  /// to float32 (Scoring.h).
  void setPrecision(Precision precision) { modelPrecision = precision; }
  Precision precision() const { return modelPrecision; }
  /// Whether a pass on this model's device runs under autocast.
  bool autocastActive() const;
  /// The dtype of the keys and values a pass computes: bfloat16 under
  /// autocast, else the weights' dtype (what a KV cache should hold).
  at::ScalarType activationDtype() const;

  const ModelSpec &spec() const { return modelSpec; }
  ModelRole role() const { return modelRole; }
  /// The group the model is split over (inactive: the whole model).
  const TensorParallel &tensorParallel() const { return tp; }

  torch::nn::Embedding embedTokens{nullptr};
  torch::nn::ModuleList layers{nullptr};
  RMSNorm norm{nullptr};
  torch::nn::Linear lmHead{nullptr};    // untied policies only
  torch::nn::Linear valueHead{nullptr}; // value and reward models only

private:
  ModelSpec modelSpec;
  ModelRole modelRole;
  TensorParallel tp;
  bool checkpointing = false;
  Precision modelPrecision = Precision::Fp32;
};
TORCH_MODULE(Model);

} // namespace rlg::runtime
