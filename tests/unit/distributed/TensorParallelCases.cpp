// The computations the tensor-parallel tests run split over worker ranks and
// whole in the test itself: one piece of code for both sides.
#include "TensorParallelCases.h"
#include "../runtime/ModelTestSupport.h"

#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Generation/Sampling.h"
#include "rlg/Runtime/Model/Model.h"
#include "rlg/Runtime/Model/Scoring.h"

#include <torch/optim/adamw.h>
#include <torch/serialize.h>
#include <torch/utils.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace rlg::runtime::testing {
namespace {

constexpr uint64_t kSeed = 1234;

struct ModelCase {
  std::string name;
  ModelSpec spec;
  ModelRole role;
};

std::vector<ModelCase> modelCases(const std::string &specs) {
  if (specs != "two" && specs != "four")
    throw std::invalid_argument("unknown specs '" + specs +
                                "'; expected two or four");
  auto spec = specs == "two" ? twoWaySpec : fourWaySpec;
  return {{"tied", spec(true), ModelRole::Policy},
          {"untied", spec(false), ModelRole::Policy},
          {"value", spec(false), ModelRole::Value}};
}

/// Four rows: prompts of 5, 3, 4 and 5 tokens left-padded to P = 5, then
/// responses of 4, 2, 3 and 1 tokens right-padded to R = 4.
struct Batch {
  at::Tensor ids, mask;
  int64_t responseLength = 4;
};

Batch fixedBatch() {
  const int64_t promptLengths[] = {5, 3, 4, 5};
  const int64_t responseLengths[] = {4, 2, 3, 1};
  const int64_t prompt = 5, response = 4;
  at::Generator generator = makeSeededGenerator(11);
  Batch batch;
  batch.ids = at::randint(3, 64, {4, prompt + response}, generator,
                          at::TensorOptions(at::kLong));
  batch.mask = at::zeros({4, prompt + response}, at::kLong);
  for (int64_t row = 0; row < 4; ++row) {
    batch.mask[row]
        .narrow(0, prompt - promptLengths[row],
                promptLengths[row] + responseLengths[row])
        .fill_(1);
  }
  batch.ids.masked_fill_(batch.mask.eq(0), 0);
  return batch;
}

/// A fixed tensor [rows, columns] of normal numbers.
at::Tensor fixedNormal(int64_t rows, int64_t columns, uint64_t seed) {
  at::Generator generator = makeSeededGenerator(seed);
  return at::randn({rows, columns}, generator, at::TensorOptions(at::kFloat));
}

/// `t` split along `name`'s tensor-parallel dimension, gathered whole.
at::Tensor gatherWhole(const at::Tensor &t, const std::string &name,
                       const TensorParallel &tp) {
  int64_t dim = tensorParallelDim(name);
  if (!tp.active() || dim < 0)
    return t.detach().clone();
  at::Tensor front = t.detach().movedim(dim, 0).contiguous();
  return tp.group->allGather(front).movedim(0, dim).contiguous();
}

void addWeights(CaseResults &results, const std::string &prefix, Model &model) {
  for (auto &[name, weight] : gatherFullWeights(*model))
    results[prefix + ".weight." + name] = weight.clone();
}

void runForward(const std::vector<ModelCase> &cases, const TensorParallel &tp,
                CaseResults &results) {
  torch::NoGradGuard noGrad;
  Batch batch = fixedBatch();
  for (const ModelCase &c : cases) {
    Model model(c.spec, c.role, kSeed, tp);
    at::Tensor out = model->forward(batch.ids, batch.mask);
    results[c.name + ".forward"] =
        c.role == ModelRole::Policy ? gatherLastDim(out, tp) : out;
    addWeights(results, c.name, model);
  }
  // Another seed, then the whole weights of the first seed loaded.
  const ModelCase &untied = cases[1];
  Model whole(untied.spec, untied.role, kSeed);
  std::map<std::string, at::Tensor> weights;
  for (const auto &item : whole->named_parameters())
    weights[item.key()] = item.value().detach();
  Model loaded(untied.spec, untied.role, kSeed + 1, tp);
  loadFullWeights(*loaded, weights);
  results["loaded.forward"] =
      gatherLastDim(loaded->forward(batch.ids, batch.mask), tp);
}

void runScoring(const std::vector<ModelCase> &cases, const TensorParallel &tp,
                CaseResults &results) {
  torch::NoGradGuard noGrad;
  Batch batch = fixedBatch();
  for (const ModelCase &c : cases) {
    Model model(c.spec, c.role, kSeed, tp);
    if (c.role != ModelRole::Policy) {
      results[c.name + ".values"] =
          responseValues(model, batch.ids, batch.mask, batch.responseLength, 3);
      continue;
    }
    for (double temperature : {1.0, 0.7}) {
      ScoringOptions options;
      options.microBatch = 3;
      options.temperature = temperature;
      options.entropy = true;
      TokenScores scores = scoreResponseTokens(model, batch.ids, batch.mask,
                                               batch.responseLength, options);
      std::string key = c.name + ".t" + std::to_string(temperature);
      results[key + ".logprobs"] = scores.logProbs;
      results[key + ".entropy"] = scores.entropy;
    }
  }
}

/// One loss, backward and AdamW step: a policy's loss from its log-probs
/// and entropies at temperature 0.7, a value model's squared error.
void trainOneStep(const ModelCase &c, bool checkpointing,
                  const std::string &key, const TensorParallel &tp,
                  CaseResults &results) {
  Batch batch = fixedBatch();
  Model model(c.spec, c.role, kSeed, tp);
  model->train();
  model->setCheckpointing(checkpointing);
  torch::optim::AdamW optimizer(
      model->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
  int64_t rows = batch.ids.size(0), length = batch.responseLength;
  at::Tensor real =
      batch.mask.narrow(1, batch.mask.size(1) - length, length).to(at::kFloat);
  at::Tensor count = real.sum();
  at::Tensor loss;
  if (c.role == ModelRole::Policy) {
    ScoringOptions options;
    options.microBatch = 3;
    options.temperature = 0.7;
    options.entropy = true;
    TokenScores scores =
        scoreResponseTokens(model, batch.ids, batch.mask, length, options);
    at::Tensor advantages = fixedNormal(rows, length, 21);
    loss = -(scores.logProbs * advantages * real).sum() / count -
           0.01 * (scores.entropy * real).sum() / count;
  } else {
    at::Tensor values = responseValues(model, batch.ids, batch.mask, length, 3);
    at::Tensor targets = fixedNormal(rows, length, 22);
    loss = ((values - targets).pow(2) * real).sum() / count;
  }
  optimizer.zero_grad();
  loss.backward();
  results[key + ".loss"] = loss.detach();
  for (const auto &item : model->named_parameters())
    results[key + ".grad." + item.key()] =
        gatherWhole(item.value().grad(), item.key(), tp);
  optimizer.step();
  addWeights(results, key, model);
}

void runTrain(const std::vector<ModelCase> &cases, const TensorParallel &tp,
              CaseResults &results) {
  for (const ModelCase &c : cases)
    trainOneStep(c, /*checkpointing=*/false, c.name, tp, results);
  trainOneStep(cases[1], /*checkpointing=*/true, "checkpointed", tp, results);
}

void runGenerate(const std::vector<ModelCase> &cases, const TensorParallel &tp,
                 CaseResults &results) {
  std::vector<std::vector<int64_t>> prompts{
      {1, 4, 14, 5, 17}, {1, 8, 9}, {1, 20, 21, 22, 23, 24, 3}};
  for (const ModelCase &c : cases) {
    if (c.role != ModelRole::Policy)
      continue;
    Model model(c.spec, c.role, kSeed, tp);
    model->eval();
    GenerationConfig config;
    config.n = 2;
    config.maxTokens = 8;
    config.temperature = 1.0;
    config.seed = 77;
    if (c.name == "untied")
      config.minTokens = 3; // EOS masked out of the joined logits
    GenerationResult result = generate(model, prompts, config);
    results[c.name + ".generate.ids"] = result.inputIds;
    results[c.name + ".generate.mask"] = result.attentionMask;
    results[c.name + ".generate.logprobs"] = result.logProbs;
  }
}

} // namespace

ModelSpec twoWaySpec(bool tied) {
  // The "tiny" preset's sizes: the runtime tests' spec, wider.
  ModelSpec spec = testing::tinySpec(tied);
  spec.hidden = 64;
  spec.ffn = 176;
  return spec;
}

ModelSpec fourWaySpec(bool tied) {
  ModelSpec spec = twoWaySpec(tied);
  spec.kvHeads = 4;
  spec.qkvBias = true; // split biases too
  return spec;
}

CaseResults runTensorParallelCase(const std::string &scenario,
                                  const std::string &specs,
                                  const TensorParallel &tp) {
  std::vector<ModelCase> cases = modelCases(specs);
  CaseResults results;
  if (scenario == "forward")
    runForward(cases, tp, results);
  else if (scenario == "scoring")
    runScoring(cases, tp, results);
  else if (scenario == "train")
    runTrain(cases, tp, results);
  else if (scenario == "generate")
    runGenerate(cases, tp, results);
  else
    throw std::invalid_argument("unknown scenario '" + scenario +
                                "'; expected forward, scoring, train or "
                                "generate");
  return results;
}

bool isExactResult(const std::string &key) {
  auto endsWith = [&](const std::string &suffix) {
    return key.size() >= suffix.size() &&
           key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return endsWith(".ids") || endsWith(".mask");
}

void saveCaseResults(const CaseResults &results, const std::string &path) {
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto &[key, value] : results)
    dict.insert(key, value.detach().cpu().contiguous());
  std::vector<char> bytes = torch::pickle_save(dict);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

CaseResults loadCaseResults(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  c10::IValue value = torch::pickle_load(bytes);
  CaseResults results;
  for (const auto &entry : value.toGenericDict())
    results[entry.key().toStringRef()] = entry.value().toTensor();
  return results;
}

} // namespace rlg::runtime::testing
