// The runtime's implementation of each schedule op kind.
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <set>

namespace rlg::runtime {

/// Runs one op of a step: reads its inputs from `values`, stores its output
/// under its id, adds what it measured to `metrics`. Throws RunError for
/// what the runtime cannot do with the schedule or its data.
void runStepOp(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics);

/// Sequences of prompts and given responses (demos, pairs, labeled) on
/// `device`: each response gets EOS appended.
std::shared_ptr<Sequences>
buildSequences(const Tokenizer &tokenizer,
               const std::vector<std::string> &prompts,
               const std::vector<std::string> &responses, torch::Device device);

/// The examples `exampleIds` of data source `dataName` as a batch (with
/// their token sequences), as a `param` op draws them; `demos` reads
/// prompts-with-answers data as demonstrations.
std::shared_ptr<ExampleBatch>
examplesOf(RunContext &run, const std::string &dataName, bool demos,
           const std::vector<int64_t> &exampleIds);

// The op kinds, by family (ModelCalls.cpp, ScoreMath.cpp, UpdateOp.cpp).
void runParam(RunContext &run, const schedule::Op &op, StepValues &values,
              MetricMap &metrics);
void runGenerate(RunContext &run, const schedule::Op &op, StepValues &values,
                 MetricMap &metrics);
void runModelScore(RunContext &run, const schedule::Op &op, StepValues &values);
void runLookup(RunContext &run, const schedule::Op &op, StepValues &values);
void runReward(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics);
void runScoreMath(RunContext &run, const schedule::Op &op, StepValues &values,
                  MetricMap &metrics);
void runUpdate(RunContext &run, const schedule::Op &op, StepValues &values,
               MetricMap &metrics);
/// Computes the precomputed tables: all of them, or only those of the
/// models in `models`.
void computeTables(RunContext &run,
                   const std::set<std::string> *models = nullptr);

/// The input `index` of `op` as a value of type T, or RunError.
template <typename T>
const T &inputOf(const schedule::Op &op, const StepValues &values,
                 size_t index) {
  if (index >= op.inputs.size())
    throw RunError("op '" + op.id + "' has too few inputs");
  auto it = values.find(op.inputs[index]);
  if (it == values.end())
    throw RunError("op '" + op.id + "' reads '" + op.inputs[index] +
                   "', which has not been computed");
  const T *value = std::get_if<T>(&it->second);
  if (!value)
    throw RunError("op '" + op.id + "' cannot read '" + op.inputs[index] +
                   "': it has another kind of value");
  return *value;
}

/// An attribute of an op as a number, with a default.
double numberAttr(const schedule::Op &op, const std::string &key,
                  double fallback);
std::string stringAttr(const schedule::Op &op, const std::string &key,
                       const std::string &fallback);
bool boolAttr(const schedule::Op &op, const std::string &key, bool fallback);

} // namespace rlg::runtime
