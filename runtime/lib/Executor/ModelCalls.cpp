// The ops that call a model: generate, logprob, value, score, and the
// precomputed tables that lookup reads.
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Metrics/MetricNames.h"

#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Metrics/ProgressBar.h"
#include "rlg/Runtime/Model/Scoring.h"

#include <memory>

namespace rlg::runtime {

namespace {

/// Summed log-probability of each row's response: [N].
at::Tensor sequenceLogProbs(Model &model, const Sequences &seqs,
                            int64_t microBatch) {
  ScoringOptions options;
  options.microBatch = microBatch;
  return scoreResponseTokens(model, seqs.inputIds, seqs.attentionMask,
                             seqs.responseLength, options)
      .logProbs.sum(1);
}

/// Example scores in the shape the op's type names: pairs [B, 2] (chosen,
/// rejected), demos and labeled [B].
Scores exampleLogProbs(Model &model, const std::shared_ptr<ExampleBatch> &batch,
                       int64_t microBatch) {
  if (!batch->sequences)
    throw RunError("log-probs need responses; a batch of " + batch->kind +
                   " has none");
  Scores out;
  out.batch = batch;
  out.sequences = batch->sequences;
  at::Tensor sums = sequenceLogProbs(model, *batch->sequences, microBatch);
  if (batch->kind == "pairs") {
    out.shape = Scores::Shape::Pair;
    out.values = sums.view({2, -1}).t().contiguous();
  } else {
    out.shape = Scores::Shape::Sequence;
    out.values = sums;
  }
  return out;
}

} // namespace

void runGenerate(RunContext &run, const schedule::Op &op, StepValues &values,
                 MetricMap &metrics) {
  const auto &batch = inputOf<std::shared_ptr<ExampleBatch>>(op, values, 0);
  ModelState &state = run.model(op.model);
  GenerationConfig config;
  config.n = static_cast<int64_t>(numberAttr(op, "n", 1));
  config.maxTokens = static_cast<int64_t>(numberAttr(op, "max_tokens", 64));
  config.temperature = numberAttr(op, "temperature", 1.0);
  config.topK = static_cast<int64_t>(numberAttr(op, "top_k", 0));
  config.topP = numberAttr(op, "top_p", 1.0);
  config.greedy = boolAttr(op, "greedy", false) || config.temperature == 0;
  config.eosId = run.tokenizer.eosId();
  config.padId = run.tokenizer.padId();
  config.seed = run.stepSeed(op.id);
  std::vector<std::vector<int64_t>> prompts;
  for (const std::string &prompt : batch->prompts)
    prompts.push_back(run.tokenizer.encodePrompt(prompt));
  GenerationResult result = generate(state.model, prompts, config);

  auto rollouts = std::make_shared<Rollouts>();
  rollouts->prompts = static_cast<int64_t>(prompts.size());
  rollouts->samples = config.n;
  rollouts->sequences = std::make_shared<Sequences>();
  rollouts->sequences->inputIds = result.inputIds;
  rollouts->sequences->attentionMask = result.attentionMask;
  rollouts->sequences->responseMask = result.responseMask;
  rollouts->sequences->responseLength = result.responseLength;
  rollouts->sequences->temperature = config.greedy ? 1.0 : config.temperature;
  rollouts->responseIds = result.responses;
  for (size_t row = 0; row < result.responses.size(); ++row) {
    rollouts->responseTexts.push_back(
        run.tokenizer.decode(result.responses[row]));
    rollouts->answers.push_back(batch->answers[row / config.n]);
  }
  rollouts->responseLengths = result.responseMask.sum(1);
  rollouts->samplingLogProbs = result.logProbs;
  metrics[metric::kResponseLengthMean] =
      rollouts->responseLengths.mean().item<double>();
  metrics[metric::kTotalNumTokens] += result.attentionMask.sum().item<double>();
  values[op.id] = rollouts;
}

void runModelScore(RunContext &run, const schedule::Op &op,
                   StepValues &values) {
  torch::NoGradGuard noGrad;
  ModelState &state = run.model(op.model);
  int64_t microBatch = op.layout.microbatch;
  auto input = values.find(op.inputs.at(0));
  if (input == values.end())
    throw RunError("op '" + op.id + "' reads '" + op.inputs.at(0) +
                   "', which has not been computed");
  if (auto *batch =
          std::get_if<std::shared_ptr<ExampleBatch>>(&input->second)) {
    if (op.kind != schedule::OpKind::Logprob)
      throw RunError("op '" + op.id + "': only logprob reads examples");
    values[op.id] = exampleLogProbs(state.model, *batch, microBatch);
    return;
  }
  const auto &rollouts = inputOf<std::shared_ptr<Rollouts>>(op, values, 0);
  const Sequences &seqs = *rollouts->sequences;
  Scores out;
  out.rollouts = rollouts;
  out.sequences = rollouts->sequences;
  if (op.kind == schedule::OpKind::Logprob) {
    ScoringOptions options;
    options.microBatch = microBatch;
    options.temperature = seqs.temperature;
    out.shape = Scores::Shape::Token;
    out.values =
        scoreResponseTokens(state.model, seqs.inputIds, seqs.attentionMask,
                            seqs.responseLength, options)
            .logProbs;
  } else if (op.kind == schedule::OpKind::Value) {
    out.shape = Scores::Shape::Token;
    out.values = responseValues(state.model, seqs.inputIds, seqs.attentionMask,
                                seqs.responseLength, microBatch) *
                 seqs.responseMask;
  } else {
    out.shape = Scores::Shape::Sequence;
    out.values = sequenceRewards(state.model, seqs.inputIds, seqs.attentionMask,
                                 microBatch);
  }
  values[op.id] = out;
}

void runLookup(RunContext &run, const schedule::Op &op, StepValues &values) {
  const auto &batch = inputOf<std::shared_ptr<ExampleBatch>>(op, values, 0);
  std::string table = stringAttr(op, "table", "");
  auto it = run.tables.find(table);
  if (it == run.tables.end())
    throw RunError("op '" + op.id + "' reads table '" + table +
                   "', which was not precomputed");
  at::Tensor rows = torch::tensor(batch->exampleIds, torch::kLong);
  Scores out;
  out.batch = batch;
  out.sequences = batch->sequences;
  out.values = it->second.index_select(0, rows.to(it->second.device()));
  out.shape =
      it->second.dim() == 2 ? Scores::Shape::Pair : Scores::Shape::Sequence;
  values[op.id] = out;
}

void computeTables(RunContext &run, const std::set<std::string> *models) {
  torch::NoGradGuard noGrad;
  const size_t chunk = 256; // examples per scoring call
  for (const schedule::PrecomputeTable &table : run.schedule.precompute) {
    if (models && !models->count(table.model))
      continue;
    DataState &data = run.dataSource(table.data);
    auto batch = std::make_shared<ExampleBatch>();
    batch->kind = table.demos ? "demos" : data.decl->kind;
    bool pairs = batch->kind == "pairs";
    std::unique_ptr<ProgressBar> bar;
    if (!run.options.quiet)
      bar = std::make_unique<ProgressBar>(
          progressOptions("precompute " + table.name,
                          static_cast<int64_t>(data.examples.size())));
    std::vector<at::Tensor> rows;
    for (size_t begin = 0; begin < data.examples.size(); begin += chunk) {
      size_t end = std::min(data.examples.size(), begin + chunk);
      std::vector<std::string> prompts, responses;
      for (size_t i = begin; i < end; ++i) {
        const Example &e = data.examples[i];
        prompts.push_back(e.prompt);
        responses.push_back(pairs         ? e.chosen
                            : table.demos ? e.answer
                                          : e.response);
      }
      // Pairs: the chosen responses, then the rejected ones.
      for (size_t i = begin; pairs && i < end; ++i) {
        prompts.push_back(data.examples[i].prompt);
        responses.push_back(data.examples[i].rejected);
      }
      batch->sequences =
          buildSequences(run.tokenizer, prompts, responses, run.options.device);
      rows.push_back(exampleLogProbs(run.model(table.model).model, batch,
                                     /*microBatch=*/64)
                         .values);
      if (bar)
        bar->update(static_cast<int64_t>(end));
    }
    if (bar)
      bar->finish();
    run.tables[table.name] = torch::cat(rows, 0);
  }
}

} // namespace rlg::runtime
