// Dynamic sampling: filtering groups without signal, concatenating kept
// rollouts, and re-running a step's producers to refill the batch.
#include "rlg/Runtime/Executor/Refill.h"

#include "rlg/Runtime/Algorithms/Filters.h"
#include "rlg/Runtime/Executor/StepOps.h"

#include <set>

namespace rlg::runtime {

namespace {

/// `t` [N, L] widened to `width` columns with `value`, on the left or right.
at::Tensor padColumns(const at::Tensor &t, int64_t width, double value,
                      bool left) {
  int64_t extra = width - t.size(1);
  if (extra == 0)
    return t;
  at::Tensor pad = at::full({t.size(0), extra}, value, t.options());
  return left ? at::cat({pad, t}, 1) : at::cat({t, pad}, 1);
}

/// The ids of the ops of `step` that `op` reads, directly or not.
std::set<std::string> producersOf(const schedule::Step &step,
                                  const schedule::Op &op) {
  std::set<std::string> found;
  std::vector<std::string> pending(op.inputs.begin(), op.inputs.end());
  while (!pending.empty()) {
    std::string id = pending.back();
    pending.pop_back();
    if (!found.insert(id).second)
      continue;
    if (const schedule::Op *other = step.findOp(id))
      pending.insert(pending.end(), other->inputs.begin(), other->inputs.end());
  }
  return found;
}

} // namespace

std::shared_ptr<Rollouts> selectRows(const Rollouts &rollouts,
                                     const at::Tensor &rows) {
  auto kept = std::make_shared<Rollouts>(rollouts);
  kept->sequences = std::make_shared<Sequences>(*rollouts.sequences);
  Sequences &seqs = *kept->sequences;
  seqs.inputIds = seqs.inputIds.index_select(0, rows);
  seqs.attentionMask = seqs.attentionMask.index_select(0, rows);
  seqs.responseMask = seqs.responseMask.index_select(0, rows);
  kept->responseLengths = rollouts.responseLengths.index_select(0, rows);
  kept->samplingLogProbs = rollouts.samplingLogProbs.index_select(0, rows);
  kept->responseIds.clear();
  kept->responseTexts.clear();
  kept->answers.clear();
  at::Tensor cpuRows = rows.to(torch::kCPU);
  for (int64_t i = 0; i < cpuRows.size(0); ++i) {
    int64_t r = cpuRows[i].item<int64_t>();
    kept->responseIds.push_back(rollouts.responseIds[r]);
    kept->responseTexts.push_back(rollouts.responseTexts[r]);
    kept->answers.push_back(rollouts.answers[r]);
  }
  kept->prompts = cpuRows.size(0) / std::max<int64_t>(1, rollouts.samples);
  return kept;
}

std::shared_ptr<Rollouts> keepGroupsWithSignal(const Rollouts &rollouts,
                                               const at::Tensor &rewards) {
  return selectRows(
      rollouts, filterZeroVarianceGroups(rewards, rollouts.samples).keptRows);
}

std::shared_ptr<Rollouts>
concatRollouts(const std::vector<std::shared_ptr<Rollouts>> &parts,
               int64_t padId) {
  if (parts.empty())
    throw std::invalid_argument("concatRollouts: no rollouts");
  int64_t promptWidth = 0, responseWidth = 0;
  for (const auto &part : parts) {
    const Sequences &s = *part->sequences;
    responseWidth = std::max(responseWidth, s.responseLength);
    promptWidth = std::max(promptWidth, s.inputIds.size(1) - s.responseLength);
  }
  std::vector<at::Tensor> ids, attention, responseMask, lengths, logProbs;
  auto out = std::make_shared<Rollouts>();
  out->samples = parts.front()->samples;
  for (const auto &part : parts) {
    const Sequences &s = *part->sequences;
    int64_t prompt = s.inputIds.size(1) - s.responseLength;
    auto widen = [&](const at::Tensor &t, double pad) {
      at::Tensor p = padColumns(t.narrow(1, 0, prompt), promptWidth, pad, true);
      at::Tensor r = padColumns(t.narrow(1, prompt, s.responseLength),
                                responseWidth, pad, false);
      return at::cat({p, r}, 1);
    };
    ids.push_back(widen(s.inputIds, static_cast<double>(padId)));
    attention.push_back(widen(s.attentionMask, 0));
    responseMask.push_back(padColumns(s.responseMask, responseWidth, 0, false));
    logProbs.push_back(
        padColumns(part->samplingLogProbs, responseWidth, 0, false));
    lengths.push_back(part->responseLengths);
    out->prompts += part->prompts;
    out->responseIds.insert(out->responseIds.end(), part->responseIds.begin(),
                            part->responseIds.end());
    out->responseTexts.insert(out->responseTexts.end(),
                              part->responseTexts.begin(),
                              part->responseTexts.end());
    out->answers.insert(out->answers.end(), part->answers.begin(),
                        part->answers.end());
  }
  out->sequences = std::make_shared<Sequences>(*parts.front()->sequences);
  out->sequences->inputIds = at::cat(ids, 0);
  out->sequences->attentionMask = at::cat(attention, 0);
  out->sequences->responseMask = at::cat(responseMask, 0);
  out->sequences->responseLength = responseWidth;
  out->responseLengths = at::cat(lengths, 0);
  out->samplingLogProbs = at::cat(logProbs, 0);
  return out;
}

void runRefillingFilter(RunContext &run, const schedule::Step &step,
                        const schedule::Op &filter, StepValues &values,
                        MetricMap &metrics) {
  auto keep = [&](const StepValues &from) {
    const auto &rollouts = inputOf<std::shared_ptr<Rollouts>>(filter, from, 0);
    const auto &rewards = inputOf<Scores>(filter, from, 1);
    return keepGroupsWithSignal(*rollouts, rewards.values);
  };
  const int64_t wanted =
      inputOf<std::shared_ptr<Rollouts>>(filter, values, 0)->prompts;
  std::vector<std::shared_ptr<Rollouts>> kept = {keep(values)};
  int64_t groups = kept.back()->prompts, batches = 1;
  std::set<std::string> producers = producersOf(step, filter);
  for (; groups < wanted && batches < kMaxRefillBatches; ++batches) {
    // A new batch: the data source reads on; samples get their own seeds.
    run.seedRound = "refill " + std::to_string(batches);
    StepValues again;
    MetricMap ignored;
    for (const std::string &id : step.instructions.at(0))
      if (producers.count(id))
        if (const schedule::Op *op = step.findOp(id))
          runStepOp(run, *op, again, ignored);
    run.seedRound.clear();
    kept.push_back(keep(again));
    groups += kept.back()->prompts;
  }
  run.seedRound.clear();
  metrics["filter/gen_batches"] = static_cast<double>(batches);
  if (groups == 0)
    throw RunError("filter '" + filter.id + "': every group in " +
                       std::to_string(batches) +
                       " batches had equal rewards, so no sample carries "
                       "a learning signal",
                   "the task is too hard or too easy for the policy: "
                   "warm it up with SFT first, or change the reward");
  std::shared_ptr<Rollouts> all = concatRollouts(kept, run.tokenizer.padId());
  if (all->prompts > wanted) // the first B groups
    all = selectRows(
        *all, at::arange(wanted * all->samples, at::TensorOptions(at::kLong))
                  .to(all->sequences->inputIds.device()));
  metrics["filter/kept_groups"] = static_cast<double>(all->prompts);
  values[filter.id] = all;
}

} // namespace rlg::runtime
