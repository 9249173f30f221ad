// The update op: epochs of shuffled mini-batches, each accumulated over
// micro-batches, of the program's weighted loss terms computed with the
// model's current weights; AdamW with warm-up, LR schedule and clipping.
#include "rlg/Runtime/Executor/StepOps.h"

#include "rlg/Runtime/Algorithms/Aggregation.h"
#include "rlg/Runtime/Algorithms/KlEstimators.h"
#include "rlg/Runtime/Algorithms/PolicyLoss.h"
#include "rlg/Runtime/Algorithms/PreferenceLosses.h"
#include "rlg/Runtime/Algorithms/SupervisedLosses.h"
#include "rlg/Runtime/Algorithms/ValueLoss.h"
#include "rlg/Runtime/Distributed/DataParallel.h"
#include "rlg/Runtime/Model/Scoring.h"

#include <nlohmann/json.hpp>
#include <torch/nn/utils/clip_grad.h>

#include <cmath>
#include <numeric>

namespace rlg::runtime {

namespace {

/// The metric prefix of a model's update: actor/, critic/ or reward/.
std::string rolePrefix(ModelRole role) {
  return role == ModelRole::Value    ? "critic/"
         : role == ModelRole::Reward ? "reward/"
                                     : "actor/";
}

struct LossTerm {
  std::string term;
  double weight = 1.0;
  std::vector<std::string> inputs;
  std::vector<schedule::AttrEntry> args;
  double arg(const std::string &key, double fallback) const {
    const schedule::AttrValue *v = schedule::findAttr(args, key);
    return v && v->isNumber() ? v->asDouble() : fallback;
  }
};

std::vector<LossTerm> lossTerms(const schedule::Op &op) {
  std::vector<LossTerm> terms;
  const schedule::AttrValue *loss = schedule::findAttr(op.attrs, "loss");
  if (!loss || loss->kind != schedule::AttrValue::Kind::List)
    throw RunError("update '" + op.id + "' has no loss terms");
  for (const schedule::AttrValue &item : loss->list) {
    LossTerm term;
    if (const auto *name = item.find("term"))
      term.term = name->stringValue;
    if (const auto *weight = item.find("weight"))
      term.weight = weight->asDouble();
    if (const auto *inputs = item.find("inputs"))
      for (const schedule::AttrValue &input : inputs->list)
        term.inputs.push_back(input.stringValue);
    if (const auto *args = item.find("args"))
      term.args = args->object;
    terms.push_back(std::move(term));
  }
  return terms;
}

/// The learning rate after `step` optimiser steps: linear warm-up, then the
/// schedule's decay towards 0 at `total` steps.
double learningRate(const schedule::Optimizer &opt, int64_t step,
                    int64_t total) {
  if (opt.warmup > 0 && step < opt.warmup)
    return opt.lr * static_cast<double>(step + 1) / opt.warmup;
  if (opt.lrSchedule == "constant" || total <= opt.warmup)
    return opt.lr;
  double progress = std::min(1.0, static_cast<double>(step - opt.warmup) /
                                      (total - opt.warmup));
  if (opt.lrSchedule == "cosine")
    return opt.lr * 0.5 * (1.0 + std::cos(M_PI * progress));
  return opt.lr * (1.0 - progress);
}

/// Steps of the run whose step graph updates `model`.
int64_t stepsUpdating(const schedule::Schedule &s, const std::string &model) {
  int64_t total = 0;
  for (const schedule::Stage &stage : s.run.stages)
    if (const schedule::Step *step = s.findStep(stage.step))
      for (const schedule::Op &op : step->ops)
        if (op.kind == schedule::OpKind::Update && op.model == model) {
          total += stage.steps;
          break;
        }
  return total;
}

const Scores &scoreInput(const StepValues &values, const std::string &id) {
  auto it = values.find(id);
  const Scores *scores =
      it == values.end() ? nullptr : std::get_if<Scores>(&it->second);
  if (!scores)
    throw RunError("a loss term reads '" + id + "', which is not a score");
  return *scores;
}

/// What every term reads: the sequences and, for pairs and labeled data,
/// the example batch.
struct UpdateBatch {
  std::shared_ptr<Sequences> sequences;
  std::shared_ptr<ExampleBatch> examples;
  bool pairs = false;
  int64_t items = 0; // rows, or pairs
};

UpdateBatch updateBatch(const std::vector<LossTerm> &terms,
                        const StepValues &values) {
  UpdateBatch out;
  for (const LossTerm &term : terms)
    for (const std::string &id : term.inputs) {
      auto it = values.find(id);
      if (it == values.end())
        throw RunError("a loss term reads '" + id + "', not computed");
      if (const auto *batch =
              std::get_if<std::shared_ptr<ExampleBatch>>(&it->second)) {
        out.examples = *batch;
        out.sequences = (*batch)->sequences;
      } else if (const auto *scores = std::get_if<Scores>(&it->second)) {
        out.sequences = scores->sequences;
        if (scores->batch)
          out.examples = scores->batch;
      }
      if (out.sequences)
        break;
    }
  if (!out.sequences)
    throw RunError("the update's loss reads no batch");
  out.pairs = out.examples && out.examples->kind == "pairs";
  out.items = out.pairs ? out.sequences->rows() / 2 : out.sequences->rows();
  return out;
}

} // namespace

void runUpdate(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics) {
  ModelState &state = run.model(op.model);
  if (!state.optimizer || !state.decl->optimizer)
    throw RunError("update of '" + op.model + "', which has no optimizer");
  const schedule::Optimizer &opt = *state.decl->optimizer;
  std::vector<LossTerm> terms = lossTerms(op);
  UpdateBatch batch = updateBatch(terms, values);
  const Sequences &seqs = *batch.sequences;
  LossAggregation agg =
      parseLossAggregation(stringAttr(op, "agg", "token-mean"));
  int64_t items = batch.items;
  if (items == 0) {
    // A dynamic filter without refill kept no group: nothing to learn from.
    metrics[rolePrefix(state.model->role()) + "empty_batches"] = 1;
    return;
  }
  int64_t minibatch =
      std::clamp<int64_t>(numberAttr(op, "minibatch", items), 1, items);
  int64_t microbatch = std::clamp<int64_t>(
      numberAttr(op, "microbatch", minibatch), 1, minibatch);
  int64_t epochs = static_cast<int64_t>(numberAttr(op, "epochs", 1));
  if (state.plannedOptimizerSteps == 0)
    state.plannedOptimizerSteps =
        epochs * ((items + minibatch - 1) / minibatch) *
        std::max<int64_t>(1, stepsUpdating(run.schedule, op.model));
  Model &model = state.model;
  // Data parallelism: the micro-batches of each mini-batch are dealt out to
  // the data-parallel ranks in turn, each weighted by its share of the
  // mini-batch as one process weights it, and the gradients summed: the
  // same step as one process takes.
  OpPlacement place = run.placement(op);
  Communicator &dpGroup = run.group(
      place.contains() ? place.dpGroup : std::vector<int64_t>{run.rank()});
  TensorParallel tp = run.tensorParallel(place);
  std::vector<at::Tensor> parameters = model->parameters();
  model->train();
  model->setCheckpointing(op.layout.checkpointing);
  bool needEntropy = false;
  for (const LossTerm &term : terms)
    needEntropy |= term.term == "entropy";

  std::map<std::string, double> sums;
  std::map<std::string, int64_t> counts;
  auto record = [&](const std::string &name, double value) {
    sums[name] += value;
    ++counts[name];
  };
  int64_t skipped = 0; // optimiser steps skipped for non-finite gradients
  torch::Generator shuffle =
      at::detail::createCPUGenerator(run.stepSeed(op.id));
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    at::Tensor order = torch::randperm(items, shuffle, torch::kLong);
    for (int64_t start = 0; start < items; start += minibatch) {
      int64_t mbEnd = std::min(items, start + minibatch);
      state.optimizer->zero_grad();
      for (auto &p : parameters)
        if (p.grad().defined())
          p.grad().zero_();
      int64_t microIndex = 0;
      for (int64_t micro = start; micro < mbEnd; micro += microbatch) {
        if (microIndex++ % place.dp != place.dpRank)
          continue; // another data-parallel rank's micro-batch
        at::Tensor idx =
            order.slice(0, micro, std::min(mbEnd, micro + microbatch))
                .to(seqs.inputIds.device());
        // Rows of the sequences: pairs read chosen (i) and rejected (B + i).
        at::Tensor rows = batch.pairs ? torch::cat({idx, idx + items}) : idx;
        at::Tensor ids = seqs.inputIds.index_select(0, rows);
        at::Tensor attn = seqs.attentionMask.index_select(0, rows);
        at::Tensor mask = seqs.responseMask.index_select(0, rows);
        TokenScores current;
        at::Tensor currentValues, currentRewards;
        bool policy = model->role() == ModelRole::Policy;
        if (policy) {
          ScoringOptions options;
          options.temperature = seqs.temperature;
          options.entropy = needEntropy;
          current = scoreResponseTokens(model, ids, attn, seqs.responseLength,
                                        options);
        } else if (model->role() == ModelRole::Value) {
          currentValues = responseValues(model, ids, attn, seqs.responseLength);
        } else {
          currentRewards = model->sequenceScores(ids, attn);
        }
        at::Tensor total = torch::zeros({}, mask.options());
        auto input = [&](const LossTerm &term, size_t i) {
          return scoreInput(values, term.inputs.at(i))
              .values.index_select(0, idx);
        };
        for (const LossTerm &term : terms) {
          at::Tensor loss;
          if (term.term == "ppo_clip") {
            PpoClipOptions options;
            options.clipLow = term.arg("clip_low", 0.2);
            options.clipHigh = term.arg("clip_high", options.clipLow);
            if (schedule::findAttr(term.args, "dual_clip"))
              options.dualClip = term.arg("dual_clip", 3.0);
            options.aggregation = agg;
            PolicyLossResult r =
                computePpoClipLoss(current.logProbs, input(term, 0),
                                   input(term, 1), mask, options);
            loss = r.loss;
            record("actor/pg_loss", loss.item<double>());
            record("actor/pg_clipfrac", r.clipFraction.item<double>());
            record("actor/ppo_kl", r.approxKl.item<double>());
          } else if (term.term.rfind("kl.", 0) == 0) {
            at::Tensor kl = computeKl(parseKlEstimator(term.term.substr(3)),
                                      current.logProbs, input(term, 0));
            loss = aggregateLoss(kl, mask, agg);
            record("actor/kl_loss", loss.item<double>());
          } else if (term.term == "entropy") {
            loss = aggregateLoss(current.entropy, mask, agg);
            record("actor/entropy", loss.item<double>());
          } else if (term.term == "value_loss") {
            std::optional<double> clip;
            if (schedule::findAttr(term.args, "clip"))
              clip = term.arg("clip", 0.2);
            ValueLossResult r = computeValueLoss(
                currentValues, input(term, 0), input(term, 1), mask, clip, agg);
            loss = r.loss;
            record("critic/vf_loss", loss.item<double>());
            record("critic/vf_clipfrac", r.clipFraction.item<double>());
          } else if (term.term == "dpo" || term.term == "ipo") {
            at::Tensor sums = current.logProbs.sum(1);
            int64_t b = idx.size(0);
            at::Tensor ref = input(term, 0);
            PairLogProbs pairs{sums.slice(0, 0, b), sums.slice(0, b, 2 * b),
                               ref.select(1, 0), ref.select(1, 1)};
            PreferenceLossResult r =
                term.term == "dpo"
                    ? computeDpoLoss(pairs, term.arg("beta", 0.1))
                    : computeIpoLoss(pairs, term.arg("tau", 0.1));
            loss = r.loss;
            record("actor/" + term.term + "_loss", loss.item<double>());
            record("actor/preference_accuracy", r.accuracy.item<double>());
          } else if (term.term == "kto") {
            std::vector<int64_t> labels;
            at::Tensor cpuIdx = idx.to(torch::kCPU);
            for (int64_t i = 0; i < cpuIdx.size(0); ++i)
              labels.push_back(
                  batch.examples->labels[cpuIdx[i].item<int64_t>()]);
            KtoOptions options;
            options.beta = term.arg("beta", 0.1);
            options.desirableWeight = term.arg("desirable_weight", 1.0);
            options.undesirableWeight = term.arg("undesirable_weight", 1.0);
            loss = computeKtoLoss(
                       current.logProbs.sum(1), input(term, 0),
                       torch::tensor(labels).to(torch::kBool).to(mask.device()),
                       options)
                       .loss;
            record("actor/kto_loss", loss.item<double>());
          } else if (term.term == "sft") {
            loss = computeSftLoss(current.logProbs, mask);
            record("actor/sft_loss", loss.item<double>());
          } else if (term.term == "bradley_terry") {
            int64_t b = idx.size(0);
            RewardModelLossResult r =
                computeBradleyTerryLoss(currentRewards.slice(0, 0, b),
                                        currentRewards.slice(0, b, 2 * b));
            loss = r.loss;
            record("reward/bt_loss", loss.item<double>());
            record("reward/accuracy", r.accuracy.item<double>());
          } else {
            throw RunError("unknown loss term '" + term.term + "'");
          }
          total = total + term.weight * loss;
        }
        double totalValue = total.item<double>(); // one device read
        record(rolePrefix(model->role()) + "loss", totalValue);
        // Each micro-batch carries its share of the mini-batch.
        double share = static_cast<double>(idx.size(0)) / (mbEnd - start);
        if (!std::isfinite(totalValue))
          throw RunError("the loss of '" + op.model + "' is not finite (" +
                             std::to_string(totalValue) + ")",
                         "the weights are those of the step before; lower "
                         "the model's lr or clip gradients (grad_clip = "
                         "1.0), then rerun or --resume from a checkpoint");
        (total * share).backward();
      }
      allReduceGradients(parameters, dpGroup);
      double maxNorm = opt.gradClip > 0 ? opt.gradClip : 1e30;
      double norm =
          tp.active()
              ? clipGradientNorm(model->named_parameters().pairs(), maxNorm, tp)
              : torch::nn::utils::clip_grad_norm_(parameters, maxNorm);
      double lr =
          learningRate(opt, state.optimizerSteps, state.plannedOptimizerSteps);
      for (auto &group : state.optimizer->param_groups())
        static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
      std::string prefix = rolePrefix(model->role());
      record(prefix + "lr", lr);
      if (!std::isfinite(norm)) {
        // A finite loss with overflowing gradients: the weights stay as they
        // were, and the step reports the skip.
        state.optimizer->zero_grad();
        ++skipped;
        continue;
      }
      record(prefix + "grad_norm", norm);
      state.optimizer->step();
      if (!state.zeroOwners.empty())
        broadcastFromOwners(parameters, state.zeroOwners, dpGroup);
      ++state.optimizerSteps;
      ++state.version;
    }
  }
  state.optimizer->zero_grad();
  for (auto &p : parameters)
    if (p.grad().defined())
      p.grad().zero_();
  model->eval();
  // Each data-parallel rank recorded its own micro-batches.
  if (dpGroup.size() > 1) {
    nlohmann::json mine = nlohmann::json::object();
    for (auto &[name, sum] : sums)
      mine[name] = nlohmann::json::array({sum, counts[name]});
    sums.clear();
    counts.clear();
    for (const std::string &text : dpGroup.allGatherText(mine.dump())) {
      nlohmann::json theirs = nlohmann::json::parse(text);
      for (auto &[name, entry] : theirs.items()) {
        sums[name] += entry.at(0).get<double>();
        counts[name] += entry.at(1).get<int64_t>();
      }
    }
  }
  for (auto &[name, sum] : sums)
    metrics[name] = sum / static_cast<double>(counts[name]);
  if (skipped > 0)
    metrics[rolePrefix(model->role()) + "skipped_updates"] =
        static_cast<double>(skipped);
}

} // namespace rlg::runtime
