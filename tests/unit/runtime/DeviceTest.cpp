// Devices and precision: --device/--precision resolution, the autocast
// guard, a model's precision, float32 scores, and min_tokens.
#include "ModelTestSupport.h"

#include "rlg/Runtime/Executor/RunDevice.h"
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Model/ModelCopy.h"
#include "rlg/Runtime/Model/Scoring.h"
#include "rlg/Runtime/TorchCompat.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <string>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

/// The RunError `fn` throws (fails the test when it throws none).
template <typename Fn> RunError runErrorOf(Fn fn) {
  try {
    fn();
  } catch (const RunError &e) {
    return e;
  }
  ADD_FAILURE() << "expected a RunError";
  return RunError("");
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(RunDeviceTest, CpuAndAuto) {
  EXPECT_EQ(resolveRunDevice("cpu"), torch::Device(torch::kCPU));
  torch::Device automatic = resolveRunDevice("auto");
  if (torch::cuda::is_available())
    EXPECT_EQ(automatic, torch::Device(torch::kCUDA, 0));
  else
    EXPECT_EQ(automatic, torch::Device(torch::kCPU));
}

TEST(RunDeviceTest, CudaWithoutCudaIsARunErrorWithAHint) {
  if (torch::cuda::is_available())
    GTEST_SKIP() << "this machine has CUDA";
  for (const char *name : {"cuda", "cuda:0", "cuda:3"}) {
    RunError e = runErrorOf([&] { resolveRunDevice(name); });
    EXPECT_TRUE(contains(e.what(), std::string("--device ") + name))
        << e.what();
    EXPECT_TRUE(contains(e.what(), "CUDA is not available")) << e.what();
    EXPECT_TRUE(contains(e.hint, "--device cpu")) << e.hint;
  }
}

TEST(RunDeviceTest, CudaIndexPastTheLastDevice) {
  if (!torch::cuda::is_available())
    GTEST_SKIP() << "needs CUDA";
  RunError e = runErrorOf([] { resolveRunDevice("cuda:999"); });
  EXPECT_TRUE(contains(e.what(), "CUDA device")) << e.what();
  EXPECT_EQ(resolveRunDevice("cuda"), torch::Device(torch::kCUDA, 0));
}

TEST(RunDeviceTest, MalformedNames) {
  for (const char *name : {"gpu", "CUDA", "cuda:", "cuda0", "cuda:x", "cuda:-1",
                           "cuda:12345", "cuda:0:1", "", "mps"}) {
    RunError e = runErrorOf([&] { resolveRunDevice(name); });
    EXPECT_TRUE(contains(e.what(), "unknown device"))
        << name << ": " << e.what();
    EXPECT_TRUE(contains(e.hint, "cuda:N")) << e.hint;
  }
}

TEST(RunDeviceTest, Precision) {
  torch::Device cpu(torch::kCPU), cuda(torch::kCUDA, 0);
  EXPECT_EQ(resolveRunPrecision("auto", cpu), Precision::Fp32);
  EXPECT_EQ(resolveRunPrecision("auto", cuda), Precision::Bf16);
  EXPECT_EQ(resolveRunPrecision("fp32", cpu), Precision::Fp32);
  EXPECT_EQ(resolveRunPrecision("fp32", cuda), Precision::Fp32);
  EXPECT_EQ(resolveRunPrecision("bf16", cuda), Precision::Bf16);
  RunError onCpu = runErrorOf([&] { resolveRunPrecision("bf16", cpu); });
  EXPECT_TRUE(contains(onCpu.what(), "needs a CUDA device")) << onCpu.what();
  EXPECT_TRUE(contains(onCpu.hint, "--precision fp32")) << onCpu.hint;
  RunError unknown = runErrorOf([&] { resolveRunPrecision("fp16", cuda); });
  EXPECT_TRUE(contains(unknown.what(), "unknown precision 'fp16'"));
  RunOptions options;
  options.precision = Precision::Bf16;
  EXPECT_THROW(checkRunPrecision(options), RunError);
  options.precision = Precision::Fp32;
  EXPECT_NO_THROW(checkRunPrecision(options));
  EXPECT_STREQ(precisionName(parsePrecision("bf16")), "bf16");
  EXPECT_THROW(parsePrecision("half"), std::invalid_argument);
}

TEST(AutocastGuardTest, SetsNestsAndRestores) {
  ASSERT_FALSE(compat::cudaAutocastEnabled());
  at::ScalarType before = compat::cudaAutocastDtype();
  {
    compat::CudaAutocastGuard outer(true);
    EXPECT_TRUE(compat::cudaAutocastEnabled());
    EXPECT_EQ(compat::cudaAutocastDtype(), at::kBFloat16);
    {
      compat::CudaAutocastGuard inner(true, at::kHalf);
      EXPECT_EQ(compat::cudaAutocastDtype(), at::kHalf);
    }
    EXPECT_TRUE(compat::cudaAutocastEnabled());
    EXPECT_EQ(compat::cudaAutocastDtype(), at::kBFloat16);
    {
      compat::CudaAutocastGuard off(false); // changes nothing
      EXPECT_TRUE(compat::cudaAutocastEnabled());
    }
  }
  EXPECT_FALSE(compat::cudaAutocastEnabled());
  EXPECT_EQ(compat::cudaAutocastDtype(), before);
}

TEST(ModelPrecisionTest, Bf16LeavesCpuModelsAlone) {
  Model fp32(tinySpec(), ModelRole::Policy, 3);
  Model bf16(tinySpec(), ModelRole::Policy, 3);
  bf16->setPrecision(Precision::Bf16);
  EXPECT_EQ(bf16->precision(), Precision::Bf16);
  EXPECT_FALSE(bf16->autocastActive()); // CPU weights
  EXPECT_EQ(bf16->activationDtype(), at::kFloat);
  at::Tensor ids = idsRow({1, 5, 9, 14, 7});
  torch::NoGradGuard noGrad;
  at::Tensor a = fp32->forward(ids, at::ones_like(ids));
  at::Tensor b = bf16->forward(ids, at::ones_like(ids));
  EXPECT_EQ(b.scalar_type(), at::kFloat);
  EXPECT_TRUE(at::equal(a, b));
  EXPECT_FALSE(compat::cudaAutocastEnabled()); // the guard ended
  EXPECT_EQ(frozenCopy(bf16)->precision(), Precision::Bf16);
  EXPECT_EQ(frozenCopy(fp32)->precision(), Precision::Fp32);
}

TEST(ModelPrecisionTest, ScoresOfABf16ModelAreFloat32) {
  Model policy(tinySpec(), ModelRole::Policy, 5);
  policy->to(at::kBFloat16);
  EXPECT_EQ(policy->activationDtype(), at::kBFloat16);
  GenerationConfig config;
  config.maxTokens = 4;
  config.seed = 1;
  GenerationResult result = generate(policy, {{1, 5, 9}, {1, 7}}, config);
  EXPECT_EQ(result.logProbs.scalar_type(), at::kFloat);
  torch::NoGradGuard noGrad;
  TokenScores scores = scoreResponseTokens(
      policy, result.inputIds, result.attentionMask, result.responseLength,
      {/*microBatch=*/1, /*temperature=*/1.0, /*entropy=*/true});
  EXPECT_EQ(scores.logProbs.scalar_type(), at::kFloat);
  EXPECT_EQ(scores.entropy.scalar_type(), at::kFloat);
  EXPECT_LT(maxAbsDiff(scores.logProbs, result.logProbs), 0.1);
}

TEST(GenerationMinTokensTest, EosCannotEndAResponseEarly) {
  Model policy(tinySpec(), ModelRole::Policy, 4);
  std::vector<std::vector<int64_t>> prompts = {{1, 5, 9}, {1, 20, 21, 22}};
  GenerationConfig config;
  config.greedy = true;
  config.maxTokens = 6;
  config.eosId = 63;
  GenerationResult free = generate(policy, prompts, config);
  // The EOS is row 0's first greedy token: without min_tokens it stops
  // row 0 at once.
  config.eosId = free.responses[0][0];
  ASSERT_EQ(generate(policy, prompts, config).responses[0].size(), 1u);
  config.minTokens = 4;
  GenerationResult held = generate(policy, prompts, config);
  for (const auto &response : held.responses) {
    ASSERT_GE(response.size(), 4u);
    for (size_t j = 0; j < 4; ++j)
      EXPECT_NE(response[j], config.eosId) << "EOS at " << j;
  }
  config.minTokens = config.maxTokens;
  config.greedy = false;
  config.seed = 9;
  GenerationResult exact = generate(policy, prompts, config);
  EXPECT_EQ(exact.responseLength, 6);
  EXPECT_TRUE(at::equal(exact.responseMask, at::ones_like(exact.responseMask)));
  config.minTokens = 7;
  EXPECT_THROW(generate(policy, prompts, config), std::invalid_argument);
}
