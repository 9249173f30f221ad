// Batched sampling of responses with a KV cache: n samples per prompt.
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Generation/KvCache.h"

#include <torch/utils.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace rlg::runtime {
namespace {

[[noreturn]] void invalid(const std::string &message) {
  throw std::invalid_argument("generate: " + message);
}

void checkArguments(const Model &model,
                    const std::vector<std::vector<int64_t>> &prompts,
                    const GenerationConfig &config) {
  const ModelSpec &spec = model->spec();
  if (model->role() != ModelRole::Policy)
    invalid(std::string("the model is a ") + modelRoleName(model->role()) +
            " model; only a policy generates");
  if (prompts.empty())
    invalid("no prompts");
  if (config.n < 1)
    invalid("n must be >= 1, got " + std::to_string(config.n));
  if (config.maxTokens < 1)
    invalid("max_tokens must be >= 1, got " + std::to_string(config.maxTokens));
  if (config.minTokens < 0 || config.minTokens > config.maxTokens)
    invalid("min_tokens must be in [0, max_tokens = " +
            std::to_string(config.maxTokens) + "], got " +
            std::to_string(config.minTokens));
  auto checkId = [&](const char *name, int64_t id) {
    if (id < 0 || id >= spec.vocab)
      invalid(std::string(name) + " " + std::to_string(id) +
              " is outside the vocabulary [0, " + std::to_string(spec.vocab) +
              ")");
  };
  checkId("eos_id", config.eosId);
  checkId("pad_id", config.padId);
  size_t longest = 0;
  for (size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty())
      invalid("prompt " + std::to_string(i) + " is empty");
    for (int64_t id : prompts[i])
      if (id < 0 || id >= spec.vocab)
        invalid("prompt " + std::to_string(i) + " has token id " +
                std::to_string(id) + " outside the vocabulary [0, " +
                std::to_string(spec.vocab) + ")");
    longest = std::max(longest, prompts[i].size());
  }
  if (static_cast<int64_t>(longest) + config.maxTokens > spec.maxPositions)
    invalid("the longest prompt (" + std::to_string(longest) +
            " tokens) and max_tokens (" + std::to_string(config.maxTokens) +
            ") exceed max_positions = " + std::to_string(spec.maxPositions));
  config.sampling().validate();
}

} // namespace

std::pair<at::Tensor, at::Tensor>
leftPadPrompts(const std::vector<std::vector<int64_t>> &prompts,
               int64_t padId) {
  size_t longest = 0;
  for (const auto &prompt : prompts)
    longest = std::max(longest, prompt.size());
  int64_t rows = static_cast<int64_t>(prompts.size());
  int64_t columns = static_cast<int64_t>(longest);
  at::Tensor ids = at::full({rows, columns}, padId, at::kLong);
  at::Tensor mask = at::zeros({rows, columns}, at::kLong);
  auto idsView = ids.accessor<int64_t, 2>();
  auto maskView = mask.accessor<int64_t, 2>();
  for (int64_t row = 0; row < rows; ++row) {
    const auto &prompt = prompts[row];
    int64_t start = columns - static_cast<int64_t>(prompt.size());
    for (size_t j = 0; j < prompt.size(); ++j) {
      idsView[row][start + j] = prompt[j];
      maskView[row][start + j] = 1;
    }
  }
  return {ids, mask};
}

GenerationResult generate(Model &model,
                          const std::vector<std::vector<int64_t>> &prompts,
                          const GenerationConfig &config) {
  checkArguments(model, prompts, config);
  torch::NoGradGuard noGrad;
  // One scope for every pass: the weights are cast to bf16 once per call.
  compat::CudaAutocastGuard autocast(model->precision() == Precision::Bf16);
  const at::Tensor &embedding = model->embedTokens->weight;
  at::Device device = embedding.device();
  auto [promptIds, promptMask] = leftPadPrompts(prompts, config.padId);
  promptIds = promptIds.to(device);
  promptMask = promptMask.to(device);
  int64_t promptLength = promptIds.size(1);
  int64_t n = config.n;

  // Prefill every distinct prompt once, then give each sample its own copy.
  // A split model caches its own key/value heads and computes its slice of
  // the vocabulary; every rank joins the slices and, seeded alike, draws
  // the same tokens.
  const TensorParallel &tp = model->tensorParallel();
  KvCache cache = KvCache::forModel(
      model->spec(), promptIds.size(0), promptLength + config.maxTokens,
      embedding.options().dtype(model->activationDtype()), tp.size());
  at::Tensor hidden = model->hiddenStates(promptIds, promptMask, &cache);
  at::Tensor logits =
      gatherLastDim(model->applyHead(hidden.select(1, promptLength - 1)), tp);
  cache.repeatInterleave(n);
  logits = logits.repeat_interleave(n, 0);
  promptIds = promptIds.repeat_interleave(n, 0);
  promptMask = promptMask.repeat_interleave(n, 0);
  int64_t rows = promptIds.size(0);

  at::Generator generator = makeSeededGenerator(config.seed);
  SamplingOptions sampling = config.sampling();
  at::Tensor mask = promptMask;
  at::Tensor active = at::ones({rows}, promptMask.options().dtype(at::kBool));
  at::Tensor pad = at::full({rows}, config.padId, promptIds.options());
  std::vector<at::Tensor> stepTokens, stepLogProbs, stepReal;
  at::Tensor eos = at::full({1}, config.eosId, promptIds.options());
  for (int64_t step = 0; step < config.maxTokens; ++step) {
    if (step < config.minTokens) // min_tokens: EOS cannot be drawn yet
      logits =
          logits.index_fill(-1, eos, -std::numeric_limits<double>::infinity());
    SampledTokens sampled = sampleTokens(logits, sampling, generator);
    at::Tensor tokens = at::where(active, sampled.tokens, pad);
    stepTokens.push_back(tokens);
    stepLogProbs.push_back(sampled.logProbs * active.to(at::kFloat));
    stepReal.push_back(active);
    at::Tensor stillActive = active & (tokens != config.eosId);
    // One read from the device per token: whether any row goes on, and
    // whether the logits held NaN (weights that are not finite).
    at::Tensor flags =
        at::stack({stillActive.any(), at::isnan(logits).any()}).cpu();
    if (flags[1].item<bool>())
      throw std::invalid_argument(
          "generate: the model's logits hold NaN, so no token can be drawn; "
          "its weights are not finite (a diverged update or a damaged "
          "checkpoint)");
    if (step + 1 == config.maxTokens || !flags[0].item<bool>())
      break;
    // The token just chosen is real for the rows that chose it.
    mask = at::cat({mask, active.to(at::kLong).unsqueeze(1)}, 1);
    hidden = model->hiddenStates(tokens.unsqueeze(1), mask, &cache);
    logits = gatherLastDim(model->applyHead(hidden.select(1, 0)), tp);
    active = stillActive;
  }

  GenerationResult result;
  at::Tensor responseIds = at::stack(stepTokens, 1);
  at::Tensor real = at::stack(stepReal, 1);
  result.promptLength = promptLength;
  result.responseLength = responseIds.size(1);
  result.inputIds = at::cat({promptIds, responseIds}, 1);
  result.attentionMask = at::cat({promptMask, real.to(at::kLong)}, 1);
  result.responseMask = real.to(at::kFloat);
  result.logProbs = at::stack(stepLogProbs, 1);

  at::Tensor idsCpu = responseIds.cpu();
  at::Tensor lengths = real.sum(1).cpu();
  auto idsView = idsCpu.accessor<int64_t, 2>();
  auto lengthView = lengths.accessor<int64_t, 1>();
  result.responses.resize(rows);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t j = 0; j < lengthView[row]; ++j)
      result.responses[row].push_back(idsView[row][j]);
  return result;
}

} // namespace rlg::runtime
