// One GRPO step of a Qwen2-0.5B-shaped policy on the runtime's own APIs,
// timed per phase; prints the JSON keys of ../shared/bench/peer_hf_grpo.py.
//
// Phases, as the peer: generate (n samples per prompt, exactly --new tokens,
// no early EOS), scoring (old and reference log-probs in micro-batches, no
// gradients), and one policy update (PPO-clip + 0.001 * k3 KL, token mean,
// accumulated over every micro-batch, then gradient clipping at 1.0 and one
// AdamW step at lr 1e-6). docs/bench.md says what each key means.
#include "rlg/Runtime/Algorithms/Advantages.h"
#include "rlg/Runtime/Algorithms/Aggregation.h"
#include "rlg/Runtime/Algorithms/KlEstimators.h"
#include "rlg/Runtime/Algorithms/PolicyLoss.h"
#include "rlg/Runtime/Executor/RunDevice.h"
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Generation/Sampling.h"
#include "rlg/Runtime/Metrics/Memory.h"
#include "rlg/Runtime/Model/Model.h"
#include "rlg/Runtime/Model/ModelSpec.h"
#include "rlg/Runtime/Model/Scoring.h"
#include "rlg/Runtime/TorchCompat.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/utils.h>

#include <chrono>
#include <iostream>
#include <random>

namespace {

using namespace rlg::runtime;

struct BenchOptions {
  int64_t prompts = 64;
  int64_t n = 8;
  int64_t promptLength = 128;
  int64_t newTokens = 256;
  int64_t micro = 32;
  int64_t layers = 0; // 0: the preset's (24 for qwen2.5-0.5b)
  std::string preset = "qwen2.5-0.5b";
  // 0 keeps the preset's size.
  int64_t hidden = 0, ffn = 0, heads = 0, kvHeads = 0, vocab = 0;
  std::string device = "auto";
  std::string precision = "auto";
  bool checkpointing = false;
  uint64_t seed = 0;
};

/// The policy's shape: the preset, --layers, and any size overrides.
ModelSpec benchSpec(const BenchOptions &options) {
  ModelSpec spec = modelSpecFromPreset(options.preset);
  if (options.layers > 0)
    spec.layers = options.layers;
  if (options.hidden > 0)
    spec.hidden = options.hidden;
  if (options.ffn > 0)
    spec.ffn = options.ffn;
  if (options.heads > 0)
    spec.heads = options.heads;
  if (options.kvHeads > 0)
    spec.kvHeads = options.kvHeads;
  if (options.vocab > 0)
    spec.vocab = options.vocab;
  spec.maxPositions =
      std::max(spec.maxPositions, options.promptLength + options.newTokens);
  spec.validate();
  return spec;
}

class Clock {
public:
  explicit Clock(const torch::Device &device) : device(device) {}
  /// Waits for the device's queued work, then restarts the clock.
  void start() {
    sync();
    begin = std::chrono::steady_clock::now();
  }
  /// Seconds since start(), after the device's queued work is done.
  double seconds() {
    sync();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         begin)
        .count();
  }

private:
  void sync() {
    if (device.is_cuda())
      torch::cuda::synchronize(device.index());
  }
  torch::Device device;
  std::chrono::steady_clock::time_point begin;
};

int run(const BenchOptions &options) {
  if (options.prompts < 1 || options.n < 2 || options.promptLength < 1 ||
      options.newTokens < 1 || options.micro < 1)
    throw std::invalid_argument(
        "--prompts, --prompt-len, --new and --micro must be >= 1 and --n "
        ">= 2 (GRPO normalises within each prompt's group)");
  torch::Device device = resolveRunDevice(options.device);
  // bf16-weights: every weight in bfloat16 and no autocast, as the peer
  // (`model.to(torch.bfloat16)`); bf16: the runtime's autocast.
  bool bf16Weights = options.precision == "bf16-weights";
  Precision precision = bf16Weights
                            ? Precision::Fp32
                            : resolveRunPrecision(options.precision, device);
  ModelSpec spec = benchSpec(options);
  torch::manual_seed(options.seed);

  // Two independent random initialisations, as the peer's actor and ref.
  Model policy(spec, ModelRole::Policy, options.seed * 2 + 1);
  Model reference(spec, ModelRole::Policy, options.seed * 2 + 2);
  for (Model *model : {&policy, &reference}) {
    (*model)->to(device);
    if (bf16Weights)
      (*model)->to(at::kBFloat16);
    (*model)->setPrecision(precision);
  }
  for (at::Tensor &param : reference->parameters())
    param.set_requires_grad(false);
  reference->eval();
  policy->setCheckpointing(options.checkpointing);
  int64_t params = 0;
  for (const at::Tensor &param : policy->parameters())
    params += param.numel();
  torch::optim::AdamW optimizer(policy->parameters(),
                                torch::optim::AdamWOptions(1e-6));

  int64_t rows = options.prompts * options.n;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<int64_t> token(0, spec.vocab - 1);
  std::vector<std::vector<int64_t>> prompts(options.prompts);
  for (auto &prompt : prompts)
    for (int64_t i = 0; i < options.promptLength; ++i)
      prompt.push_back(token(rng));

  GenerationConfig generation;
  generation.n = options.n;
  generation.maxTokens = options.newTokens;
  generation.minTokens = options.newTokens; // no early EOS
  generation.eosId = std::min<int64_t>(2, spec.vocab - 1);
  generation.padId = 0;
  generation.seed = options.seed;

  nlohmann::ordered_json result;
  result["params"] = params;
  result["sequences"] = rows;
  Clock clock(device);

  // Warm-up, as the peer: 8 rows of 8 tokens.
  {
    GenerationConfig warm = generation;
    warm.n = std::min<int64_t>(8, rows);
    warm.maxTokens = warm.minTokens = std::min<int64_t>(8, options.newTokens);
    generate(policy, {prompts[0]}, warm);
  }

  clock.start();
  GenerationResult rollout = generate(policy, prompts, generation);
  double generateSeconds = clock.seconds();
  int64_t responseLength = rollout.responseLength;
  int64_t totalLength = rollout.inputIds.size(1);
  result["generate_s"] = generateSeconds;
  result["generate_tok_per_s"] =
      static_cast<double>(rows * options.newTokens) / generateSeconds;

  ScoringOptions scoring;
  scoring.microBatch = options.micro;
  clock.start();
  at::Tensor oldLogProbs, refLogProbs;
  {
    torch::NoGradGuard noGrad;
    oldLogProbs =
        scoreResponseTokens(policy, rollout.inputIds, rollout.attentionMask,
                            responseLength, scoring)
            .logProbs;
    refLogProbs =
        scoreResponseTokens(reference, rollout.inputIds, rollout.attentionMask,
                            responseLength, scoring)
            .logProbs;
  }
  result["score_s"] = clock.seconds();

  at::Generator rewardGenerator = makeSeededGenerator(options.seed + 7);
  at::Tensor rewards =
      at::randn({rows}, rewardGenerator, at::TensorOptions(at::kFloat))
          .to(device);
  at::Tensor advantages = computeGrpoAdvantages(rewards, options.n)
                              .unsqueeze(1)
                              .expand({rows, responseLength});
  at::Tensor mask = rollout.responseMask;

  clock.start();
  PpoClipOptions ppo; // clip 0.2 both ways, token mean
  at::Tensor lossSum = at::zeros({}, at::TensorOptions(device));
  for (int64_t start = 0; start < rows; start += options.micro) {
    int64_t count = std::min(options.micro, rows - start);
    at::Tensor logProbs =
        scoreResponseTokens(policy, rollout.inputIds.narrow(0, start, count),
                            rollout.attentionMask.narrow(0, start, count),
                            responseLength)
            .logProbs;
    at::Tensor microMask = mask.narrow(0, start, count);
    at::Tensor pg =
        computePpoClipLoss(logProbs, oldLogProbs.narrow(0, start, count),
                           advantages.narrow(0, start, count), microMask, ppo)
            .loss;
    at::Tensor kl = aggregateLoss(
        computeKlK3(logProbs, refLogProbs.narrow(0, start, count)), microMask,
        LossAggregation::TokenMean);
    at::Tensor loss = (pg + 0.001 * kl) * (static_cast<double>(count) / rows);
    loss.backward();
    lossSum += loss.detach();
  }
  double gradNorm =
      torch::nn::utils::clip_grad_norm_(policy->parameters(), 1.0);
  optimizer.step();
  optimizer.zero_grad();
  double updateSeconds = clock.seconds();
  result["update_s"] = updateSeconds;
  result["update_tflops"] = 6.0 * static_cast<double>(params) *
                            static_cast<double>(rows * totalLength) /
                            updateSeconds / 1e12;
  result["step_s"] = result["generate_s"].get<double>() +
                     result["score_s"].get<double>() + updateSeconds;
  // CUDA: tensors' peak (torch.cuda.max_memory_allocated, as the peer); the
  // CPU: the process's peak resident memory.
  if (device.is_cuda()) {
    int64_t peak = compat::cudaPeakAllocatedBytes(device.index());
    result["peak_mem_gib"] =
        peak < 0 ? nlohmann::ordered_json(nullptr)
                 : nlohmann::ordered_json(static_cast<double>(peak) /
                                          (1024.0 * 1024.0 * 1024.0));
  } else if (std::optional<double> rss = peakResidentMemoryGb()) {
    result["peak_mem_gib"] = *rss;
  } else {
    result["peak_mem_gib"] = nullptr;
  }
  // Every decode step reads every bf16 weight once at 3.35 TB/s (H100
  // SXM), as the peer.
  result["decode_floor_s"] = static_cast<double>(options.newTokens) *
                             static_cast<double>(params) * 2 / 3.35e12;

  std::cerr << "grpo_step_bench: " << device.str() << ", "
            << (bf16Weights ? "bf16-weights" : precisionName(precision)) << ", "
            << spec.layers << " layers x " << spec.hidden << " hidden, vocab "
            << spec.vocab << ", " << rows << " x (" << options.promptLength
            << " + " << responseLength << ") tokens, micro-batch "
            << options.micro << (options.checkpointing ? ", checkpointing" : "")
            << "; loss " << lossSum.item<double>() << ", grad norm " << gradNorm
            << '\n';
  std::cout << result.dump(1) << std::endl;
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"grpo_step_bench: one timed GRPO step (docs/bench.md)"};
  BenchOptions options;
  app.add_option("--prompts", options.prompts, "Prompts per step")
      ->capture_default_str();
  app.add_option("--n", options.n, "Samples per prompt")->capture_default_str();
  app.add_option("--prompt-len", options.promptLength,
                 "Tokens per prompt (random ids)")
      ->capture_default_str();
  app.add_option("--new", options.newTokens,
                 "Tokens generated per sample (exactly; EOS is masked)")
      ->capture_default_str();
  app.add_option("--micro", options.micro,
                 "Rows per scoring and update micro-batch")
      ->capture_default_str();
  app.add_option("--layers", options.layers,
                 "Decoder layers (0: the preset's, 24 for qwen2.5-0.5b)");
  app.add_option("--preset", options.preset, "Model shape preset")
      ->capture_default_str();
  app.add_option("--hidden", options.hidden, "Hidden size (0: the preset's)");
  app.add_option("--ffn", options.ffn, "FFN size (0: the preset's)");
  app.add_option("--heads", options.heads, "Attention heads (0: the preset's)");
  app.add_option("--kv-heads", options.kvHeads,
                 "Key/value heads (0: the preset's)");
  app.add_option("--vocab", options.vocab, "Vocabulary (0: the preset's)");
  app.add_option("--device", options.device, "auto, cpu, cuda or cuda:N")
      ->capture_default_str();
  app.add_option("--precision", options.precision,
                 "auto (bf16 on CUDA, fp32 on the CPU), fp32, bf16 (autocast, "
                 "float32 weights) or bf16-weights (bfloat16 weights, as the "
                 "peer)")
      ->capture_default_str();
  app.add_flag("--checkpointing", options.checkpointing,
               "Recompute each block in backward");
  app.add_option("--seed", options.seed, "Seed")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    return run(options);
  } catch (const RunError &e) {
    std::cerr << "grpo_step_bench: error: " << e.what() << '\n';
    if (!e.hint.empty())
      std::cerr << "hint: " << e.hint << '\n';
    return 1;
  } catch (const std::invalid_argument &e) {
    std::cerr << "grpo_step_bench: error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "grpo_step_bench: internal error: " << e.what() << '\n';
    return 2;
  }
}
