// The metric names the runtime logs: the ones users of verl and OpenRLHF
// already grep for. docs/runtime-state.md says what each one means.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rlg::runtime::metric {

// Rewards and advantages over the step's batch (token-masked means).
inline constexpr const char *kScoreMean = "critic/score/mean";
inline constexpr const char *kScoreMax = "critic/score/max";
inline constexpr const char *kScoreMin = "critic/score/min";
inline constexpr const char *kRewardsMean = "critic/rewards/mean";
inline constexpr const char *kAdvantagesMean = "critic/advantages/mean";
inline constexpr const char *kReturnsMean = "critic/returns/mean";
inline constexpr const char *kValuesMean = "critic/values/mean";

// The policy update, averaged over micro-batches.
inline constexpr const char *kPgLoss = "actor/pg_loss";
inline constexpr const char *kPgClipfrac = "actor/pg_clipfrac";
inline constexpr const char *kPpoKl = "actor/ppo_kl";
inline constexpr const char *kKlLoss = "actor/kl_loss";
inline constexpr const char *kKlCoef = "actor/kl_coef";
inline constexpr const char *kEntropy = "actor/entropy";
inline constexpr const char *kActorLoss = "actor/loss";
inline constexpr const char *kActorGradNorm = "actor/grad_norm";
inline constexpr const char *kActorLr = "actor/lr";

// The value update.
inline constexpr const char *kVfLoss = "critic/vf_loss";
inline constexpr const char *kVfClipfrac = "critic/vf_clipfrac";
inline constexpr const char *kCriticGradNorm = "critic/grad_norm";
inline constexpr const char *kCriticLr = "critic/lr";

// Lengths, in tokens.
inline constexpr const char *kResponseLengthMean = "response_length/mean";
inline constexpr const char *kResponseLengthMax = "response_length/max";
inline constexpr const char *kResponseLengthClipRatio =
    "response_length/clip_ratio";
inline constexpr const char *kPromptLengthMean = "prompt_length/mean";

// Performance.
/// Tokens (prompt and response) the step's sequences hold; throughput is
/// these per second of the step.
inline constexpr const char *kTotalNumTokens = "perf/total_num_tokens";
inline constexpr const char *kThroughput = "perf/throughput";
inline constexpr const char *kMaxMemoryAllocatedGb =
    "perf/max_memory_allocated_gb";
inline constexpr const char *kTimingStep = "timing_s/step";

/// "timing_s/<stage>": seconds the step spent in one of its stages
/// (generate, score, train_actor, ...); "timing_s/step" is the whole step.
std::string timing(std::string_view stage);
/// "perf/mfu/<model>": model FLOPs utilisation of a model's update.
std::string mfu(std::string_view model);
/// "eval/<data>/accuracy", "eval/<data>/pass@<k>", "eval/<data>/reward/mean".
std::string evalAccuracy(std::string_view data);
std::string evalPassAtK(std::string_view data, int64_t k);
std::string evalRewardMean(std::string_view data);

} // namespace rlg::runtime::metric
