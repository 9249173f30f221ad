// The runtime's decoder: embeddings, blocks, final norm and a role's head.
#include "rlg/Runtime/Model/Model.h"
#include "rlg/Runtime/Distributed/VocabParallel.h"
#include "rlg/Runtime/Generation/KvCache.h"
#include "rlg/Runtime/Model/AttentionMask.h"
#include "rlg/Runtime/Model/Checkpoint.h"
#include "rlg/Runtime/Support/TensorText.h"
#include "rlg/Runtime/TorchCompat.h"

#include <stdexcept>
#include <string>

namespace rlg::runtime {
namespace {

[[noreturn]] void invalid(const std::string &message) {
  throw std::invalid_argument("model forward: " + message);
}

} // namespace

ModelImpl::ModelImpl(const ModelSpec &spec, ModelRole role, uint64_t seed,
                     TensorParallel tp)
    : modelSpec(spec), modelRole(role), tp(tp) {
  spec.validate();
  spec.validateTensorParallel(tp.size());
  // Vocab-parallel: this rank's rows of the embeddings and of the LM head.
  int64_t vocab = tp.sliceLength(spec.vocab);
  embedTokens =
      register_module("embed_tokens", torch::nn::Embedding(vocab, spec.hidden));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < spec.layers; ++i)
    layers->push_back(DecoderBlock(spec, tp));
  norm = register_module("norm", RMSNorm(spec.hidden, spec.rmsEps));
  using torch::nn::LinearOptions;
  if (role == ModelRole::Policy) {
    if (!spec.tieEmbeddings)
      lmHead = register_module(
          "lm_head",
          torch::nn::Linear(LinearOptions(spec.hidden, vocab).bias(false)));
  } else {
    valueHead = register_module(
        "value_head",
        torch::nn::Linear(LinearOptions(spec.hidden, 1).bias(true)));
  }
  initializeWeights(seed);
}

at::Tensor ModelImpl::hiddenStates(const at::Tensor &inputIds,
                                   const at::Tensor &attentionMask,
                                   KvCache *cache) {
  compat::CudaAutocastGuard autocast(modelPrecision == Precision::Bf16);
  if (!inputIds.defined() || inputIds.dim() != 2 ||
      inputIds.is_floating_point())
    invalid("input_ids must be integer ids [B, T], got " + shapeOf(inputIds));
  int64_t batch = inputIds.size(0), tokens = inputIds.size(1);
  int64_t past = cache ? cache->length() : 0;
  if (!attentionMask.defined() || attentionMask.dim() != 2 ||
      attentionMask.size(0) != batch || attentionMask.size(1) != past + tokens)
    invalid("attention_mask must be [B, past + T] = [" + std::to_string(batch) +
            ", " + std::to_string(past + tokens) + "], got " +
            shapeOf(attentionMask));
  if (past + tokens > modelSpec.maxPositions)
    invalid("a sequence of " + std::to_string(past + tokens) +
            " tokens is longer than max_positions = " +
            std::to_string(modelSpec.maxPositions));
  if (cache &&
      (cache->batch() != batch || cache->numLayers() != modelSpec.layers))
    invalid("the cache holds " + std::to_string(cache->numLayers()) +
            " layers of " + std::to_string(cache->batch()) +
            " rows, the model has " + std::to_string(modelSpec.layers) +
            " layers and the batch " + std::to_string(batch) + " rows");

  at::Tensor mask = attentionMask.to(inputIds.device());
  at::Tensor h = tp.active()
                     ? vocabParallelEmbedding(inputIds, embedTokens->weight, tp)
                     : embedTokens(inputIds);
  at::Tensor positions = positionIdsFromMask(mask).narrow(1, past, tokens);
  RotaryAngles angles =
      computeRotaryAngles(positions, modelSpec.headDim(), modelSpec.ropeTheta,
                          modelSpec.ropeScaling);
  at::Tensor bias = causalPaddingBias(mask, tokens, h.scalar_type());
  bool recompute = checkpointing && !cache && at::GradMode::is_enabled();
  for (int64_t i = 0; i < modelSpec.layers; ++i) {
    auto &block = *layers[i]->as<DecoderBlockImpl>();
    h = recompute ? checkpointedBlockForward(block, h, angles, bias)
                  : block.forward(h, angles, bias, cache, i);
  }
  if (cache)
    cache->advance(tokens);
  return norm(h);
}

bool ModelImpl::autocastActive() const {
  return modelPrecision == Precision::Bf16 && embedTokens->weight.is_cuda();
}

at::ScalarType ModelImpl::activationDtype() const {
  return autocastActive() ? at::kBFloat16 : embedTokens->weight.scalar_type();
}

at::Tensor ModelImpl::applyHead(const at::Tensor &hidden) {
  compat::CudaAutocastGuard autocast(modelPrecision == Precision::Bf16);
  if (modelRole != ModelRole::Policy)
    return valueHead(hidden).squeeze(-1);
  // Column-parallel: each rank computes its slice of the vocabulary.
  at::Tensor input = copyToTensorParallel(hidden, tp);
  if (lmHead)
    return lmHead(input);
  return at::matmul(input, embedTokens->weight.t());
}

at::Tensor ModelImpl::forward(const at::Tensor &inputIds,
                              const at::Tensor &attentionMask, KvCache *cache) {
  return applyHead(hiddenStates(inputIds, attentionMask, cache));
}

at::Tensor ModelImpl::sequenceScores(const at::Tensor &inputIds,
                                     const at::Tensor &attentionMask) {
  if (modelRole == ModelRole::Policy)
    throw std::logic_error("sequenceScores: a policy has no value head");
  at::Tensor values = forward(inputIds, attentionMask);
  at::Tensor last = lastRealTokenIndex(attentionMask.to(values.device()));
  return values.gather(1, last.unsqueeze(1)).squeeze(1);
}

} // namespace rlg::runtime
