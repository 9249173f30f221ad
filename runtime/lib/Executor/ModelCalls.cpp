// The ops that call a model: generate, logprob, value, score, and the
// precomputed tables that lookup reads.
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Metrics/MetricNames.h"

#include "rlg/Runtime/Distributed/RowGather.h"
#include "rlg/Runtime/Executor/ModelLayouts.h"
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Metrics/ProgressBar.h"
#include "rlg/Runtime/Model/Scoring.h"

#include <functional>
#include <memory>

namespace rlg::runtime {

namespace {

/// `compute` on this rank's slice of the rows of `seqs` (its data-parallel
/// share of the op), gathered over the op's data-parallel group: the whole
/// batch's output on every rank of the mesh.
at::Tensor
computeRowSlices(RunContext &run, const OpPlacement &place,
                 const Sequences &seqs,
                 const std::function<at::Tensor(const Sequences &)> &compute) {
  int64_t rows = seqs.rows();
  if (place.dp == 1 || !place.contains() || rows < place.dp)
    return compute(seqs);
  ItemRange mine = sliceItems(rows, place.dp, place.dpRank);
  Sequences part = seqs;
  part.inputIds = seqs.inputIds.narrow(0, mine.begin, mine.size());
  part.attentionMask = seqs.attentionMask.narrow(0, mine.begin, mine.size());
  part.responseMask = seqs.responseMask.narrow(0, mine.begin, mine.size());
  return gatherRowSlices(compute(part).contiguous(), rows,
                         run.group(place.dpGroup));
}

/// Each data-parallel rank's generations gathered into the whole batch's
/// (`rows` rows), laid out as one generate() call on all prompts lays
/// them out: prompts left-padded, responses right-padded to the longest.
GenerationResult gatherGenerations(const GenerationResult &mine, int64_t rows,
                                   Communicator &group, int64_t padId) {
  int64_t promptLength = maxOverGroup(mine.promptLength, group);
  int64_t responseLength = maxOverGroup(mine.responseLength, group);
  auto promptPart = [&](const at::Tensor &t, double fill) {
    return padColumns(t.narrow(1, 0, mine.promptLength), promptLength, fill,
                      /*left=*/true);
  };
  auto responsePart = [&](const at::Tensor &t, double fill) {
    return padColumns(t.narrow(1, mine.promptLength, mine.responseLength),
                      responseLength, fill);
  };
  auto gather = [&](const at::Tensor &t) {
    return gatherRowSlices(t.contiguous(), rows, group);
  };
  GenerationResult out;
  out.promptLength = promptLength;
  out.responseLength = responseLength;
  out.inputIds = gather(at::cat(
      {promptPart(mine.inputIds, padId), responsePart(mine.inputIds, padId)},
      1));
  out.attentionMask = gather(at::cat(
      {promptPart(mine.attentionMask, 0), responsePart(mine.attentionMask, 0)},
      1));
  out.responseMask = gather(padColumns(mine.responseMask, responseLength, 0));
  out.logProbs = gather(padColumns(mine.logProbs, responseLength, 0));
  at::Tensor ids = out.inputIds.narrow(1, promptLength, responseLength).cpu();
  at::Tensor lengths = out.responseMask.sum(1).to(at::kLong).cpu();
  out.responses.resize(rows);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t j = 0; j < lengths[row].item<int64_t>(); ++j)
      out.responses[row].push_back(ids[row][j].item<int64_t>());
  return out;
}

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
                       int64_t microBatch, RunContext *run = nullptr,
                       const OpPlacement *place = nullptr) {
  if (!batch->sequences)
    throw RunError("log-probs need responses; a batch of " + batch->kind +
                   " has none");
  Scores out;
  out.batch = batch;
  out.sequences = batch->sequences;
  auto compute = [&](const Sequences &seqs) {
    return sequenceLogProbs(model, seqs, microBatch);
  };
  at::Tensor sums =
      run ? computeRowSlices(*run, *place, *batch->sequences, compute)
          : compute(*batch->sequences);
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
  // Data parallelism: each replica samples its slice of the prompts, then
  // the mesh gathers every slice.
  OpPlacement place = run.placement(op);
  Model &model = modelForPlacement(run, state, place);
  int64_t count = static_cast<int64_t>(prompts.size());
  bool split = place.contains() && place.dp > 1 && count >= place.dp;
  ItemRange mine =
      split ? sliceItems(count, place.dp, place.dpRank) : ItemRange{0, count};
  std::vector<std::vector<int64_t>> myPrompts(prompts.begin() + mine.begin,
                                              prompts.begin() + mine.end);
  config.rowOffset = mine.begin * config.n;
  config.batchRows = count * config.n;
  GenerationResult result = generate(model, myPrompts, config);
  if (split)
    result = gatherGenerations(result, count * config.n,
                               run.group(place.dpGroup), config.padId);

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
  // Data parallelism: each replica scores its slice of the rows.
  OpPlacement place = run.placement(op);
  Model &model = modelForPlacement(run, state, place);
  if (auto *batch =
          std::get_if<std::shared_ptr<ExampleBatch>>(&input->second)) {
    if (op.kind != schedule::OpKind::Logprob)
      throw RunError("op '" + op.id + "': only logprob reads examples");
    values[op.id] = exampleLogProbs(model, *batch, microBatch, &run, &place);
    return;
  }
  const auto &rollouts = inputOf<std::shared_ptr<Rollouts>>(op, values, 0);
  const Sequences &seqs = *rollouts->sequences;
  Scores out;
  out.rollouts = rollouts;
  out.sequences = rollouts->sequences;
  std::function<at::Tensor(const Sequences &)> compute;
  if (op.kind == schedule::OpKind::Logprob) {
    out.shape = Scores::Shape::Token;
    compute = [&](const Sequences &part) {
      ScoringOptions options;
      options.microBatch = microBatch;
      options.temperature = part.temperature;
      return scoreResponseTokens(model, part.inputIds, part.attentionMask,
                                 part.responseLength, options)
          .logProbs;
    };
  } else if (op.kind == schedule::OpKind::Value) {
    out.shape = Scores::Shape::Token;
    compute = [&](const Sequences &part) {
      return responseValues(model, part.inputIds, part.attentionMask,
                            part.responseLength, microBatch) *
             part.responseMask;
    };
  } else {
    out.shape = Scores::Shape::Sequence;
    compute = [&](const Sequences &part) {
      return sequenceRewards(model, part.inputIds, part.attentionMask,
                             microBatch);
    };
  }
  out.values = computeRowSlices(run, place, seqs, compute);
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
  const int64_t chunk = 256; // examples per scoring call
  for (const schedule::PrecomputeTable &table : run.schedule.precompute) {
    if (models && !models->count(table.model))
      continue;
    DataState &data = run.dataSource(table.data);
    auto batch = std::make_shared<ExampleBatch>();
    batch->kind = table.demos ? "demos" : data.decl->kind;
    bool pairs = batch->kind == "pairs";
    const int64_t total = data.size();
    std::unique_ptr<ProgressBar> bar;
    if (!run.options.quiet)
      bar = std::make_unique<ProgressBar>(
          progressOptions("precompute " + table.name, total));
    std::vector<at::Tensor> rows;
    for (int64_t begin = 0; begin < total; begin += chunk) {
      int64_t end = std::min(total, begin + chunk);
      std::vector<Example> examples = data.examples->range(begin, end);
      std::vector<std::string> prompts, responses;
      for (const Example &e : examples) {
        prompts.push_back(e.prompt);
        responses.push_back(pairs         ? e.chosen
                            : table.demos ? e.answer
                                          : e.response);
      }
      // Pairs: the chosen responses, then the rejected ones.
      for (size_t i = 0; pairs && i < examples.size(); ++i) {
        prompts.push_back(examples[i].prompt);
        responses.push_back(examples[i].rejected);
      }
      batch->sequences =
          buildSequences(run.tokenizer, prompts, responses, run.options.device);
      rows.push_back(exampleLogProbs(run.model(table.model).model, batch,
                                     /*microBatch=*/64)
                         .values);
      if (bar)
        bar->update(end);
    }
    if (bar)
      bar->finish();
    run.tables[table.name] = torch::cat(rows, 0);
  }
}

} // namespace rlg::runtime
