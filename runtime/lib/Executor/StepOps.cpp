// Dispatch of schedule ops to their implementations; drawing batches; the
// sequences of given responses; attribute helpers.
#include "rlg/Runtime/Executor/StepOps.h"
#include "rlg/Runtime/Metrics/MetricNames.h"

#include "rlg/Runtime/Executor/ModelLayouts.h"
#include "rlg/Runtime/Generation/Generate.h"

namespace rlg::runtime {

double numberAttr(const schedule::Op &op, const std::string &key,
                  double fallback) {
  const schedule::AttrValue *v = schedule::findAttr(op.attrs, key);
  return v && v->isNumber() ? v->asDouble() : fallback;
}

std::string stringAttr(const schedule::Op &op, const std::string &key,
                       const std::string &fallback) {
  const schedule::AttrValue *v = schedule::findAttr(op.attrs, key);
  return v && v->kind == schedule::AttrValue::Kind::String ? v->stringValue
                                                           : fallback;
}

bool boolAttr(const schedule::Op &op, const std::string &key, bool fallback) {
  const schedule::AttrValue *v = schedule::findAttr(op.attrs, key);
  return v && v->kind == schedule::AttrValue::Kind::Bool ? v->boolValue
                                                         : fallback;
}

std::shared_ptr<Sequences> buildSequences(
    const Tokenizer &tokenizer, const std::vector<std::string> &prompts,
    const std::vector<std::string> &responses, torch::Device device) {
  std::vector<std::vector<int64_t>> promptIds, responseIds;
  int64_t longest = 1;
  for (size_t i = 0; i < prompts.size(); ++i) {
    promptIds.push_back(tokenizer.encodePrompt(prompts[i]));
    responseIds.push_back(tokenizer.encodeResponse(responses[i], true));
    longest = std::max<int64_t>(longest, responseIds.back().size());
  }
  auto [ids, mask] = leftPadPrompts(promptIds, tokenizer.padId());
  int64_t rows = static_cast<int64_t>(prompts.size());
  at::Tensor respIds =
      torch::full({rows, longest}, tokenizer.padId(), torch::kLong);
  at::Tensor respMask = torch::zeros({rows, longest}, torch::kFloat);
  for (int64_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < responseIds[i].size(); ++j) {
      respIds[i][j] = responseIds[i][j];
      respMask[i][j] = 1.0;
    }
  auto out = std::make_shared<Sequences>();
  out->inputIds = torch::cat({ids, respIds}, 1).to(device);
  out->attentionMask =
      torch::cat({mask, respMask.to(torch::kLong)}, 1).to(device);
  out->responseMask = respMask.to(device);
  out->responseLength = longest;
  return out;
}

std::shared_ptr<ExampleBatch>
examplesOf(RunContext &run, const std::string &dataName, bool demos,
           const std::vector<int64_t> &exampleIds) {
  DataState &data = run.dataSource(dataName);
  auto batch = std::make_shared<ExampleBatch>();
  batch->kind = demos ? "demos" : data.decl->kind;
  batch->data = dataName;
  batch->exampleIds = exampleIds;
  for (int64_t index : batch->exampleIds)
    if (index < 0 || index >= data.size())
      throw RunError("example " + std::to_string(index) + " of data source '" +
                     dataName + "' does not exist");
  // A JSONL source reads the batch's records from its file now.
  for (const Example &e : data.examples->fetch(batch->exampleIds)) {
    batch->prompts.push_back(e.prompt);
    batch->answers.push_back(e.answer);
    batch->responses.push_back(demos ? e.answer : e.response);
    batch->chosen.push_back(e.chosen);
    batch->rejected.push_back(e.rejected);
    batch->labels.push_back(e.label);
  }
  if (batch->kind == "demos" || batch->kind == "labeled") {
    batch->sequences = buildSequences(run.tokenizer, batch->prompts,
                                      batch->responses, run.options.device);
  } else if (batch->kind == "pairs") {
    std::vector<std::string> prompts = batch->prompts,
                             responses = batch->chosen;
    prompts.insert(prompts.end(), batch->prompts.begin(), batch->prompts.end());
    responses.insert(responses.end(), batch->rejected.begin(),
                     batch->rejected.end());
    batch->sequences =
        buildSequences(run.tokenizer, prompts, responses, run.options.device);
  }
  return batch;
}

void runParam(RunContext &run, const schedule::Op &op, StepValues &values,
              MetricMap &metrics) {
  std::string dataName = stringAttr(op, "data", "");
  DataState &data = run.dataSource(dataName);
  int64_t size = static_cast<int64_t>(numberAttr(op, "batch", 1));
  bool demos = stringAttr(op, "as", "") == "demos";
  auto batch = examplesOf(run, dataName, demos, data.draw(size));
  if (batch->sequences)
    metrics[metric::kTotalNumTokens] +=
        batch->sequences->attentionMask.sum().item<double>();
  values[op.id] = batch;
}

void runStepOp(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics) {
  using schedule::OpKind;
  switch (op.kind) {
  case OpKind::Param:
    return runParam(run, op, values, metrics);
  case OpKind::Generate:
    return runGenerate(run, op, values, metrics);
  case OpKind::Logprob:
  case OpKind::Value:
  case OpKind::Score:
    return runModelScore(run, op, values);
  case OpKind::Lookup:
    return runLookup(run, op, values);
  case OpKind::Reward:
    return runReward(run, op, values, metrics);
  case OpKind::Kl:
  case OpKind::Arith:
  case OpKind::Advantage:
  case OpKind::Returns:
  case OpKind::Filter:
    return runScoreMath(run, op, values, metrics);
  case OpKind::Update:
    return runUpdate(run, op, values, metrics);
  case OpKind::Reshard:
    return runReshard(run, op, metrics);
  case OpKind::Offload:
  case OpKind::Onload:
    return runOffload(run, op, op.kind == OpKind::Offload, metrics);
  case OpKind::Transfer: // the executor runs it: it needs the step
  case OpKind::WeightSync:
  case OpKind::Eval:
    break;
  }
  throw RunError("op '" + op.id + "' of kind '" +
                     schedule::opKindName(op.kind) +
                     "' is not run by this runtime (a copy of a model's "
                     "weights on other devices than its update's)",
                 "plan the model's calls on the devices of its update "
                 "(docs/distributed.md, \"What is not there yet\")");
}

} // namespace rlg::runtime
