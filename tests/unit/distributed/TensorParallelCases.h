// The computations the tensor-parallel tests run split over worker ranks and
// whole in the test itself: one piece of code for both sides.
#pragma once

#include "rlg/Runtime/Distributed/TensorParallel.h"
#include "rlg/Runtime/Model/ModelSpec.h"

#include <map>
#include <string>
#include <vector>

namespace rlg::runtime::testing {

/// Named results: logits, values, log-probs, gathered weights and
/// gradients, generated ids.
using CaseResults = std::map<std::string, at::Tensor>;

/// The "tiny" sizes: 2 layers, hidden 64, ffn 176, 4 heads sharing 2
/// key/value heads, 64 ids (splits over 2 ranks).
ModelSpec twoWaySpec(bool tied);
/// The same with 4 key/value heads (splits over 4 ranks).
ModelSpec fourWaySpec(bool tied);

/// The scenarios: "forward" (logits and values, whole weights after
/// initialisation and after loadFullWeights), "scoring" (log-probs,
/// entropies and values), "train" (one loss, backward and AdamW step:
/// gradients and weights), "generate" (sampled ids, masks, log-probs).
/// `specs` is "two" or "four". With an inactive `tp` this is the unsplit
/// reference; split, every rank gets the whole results (gathered).
CaseResults runTensorParallelCase(const std::string &scenario,
                                  const std::string &specs,
                                  const TensorParallel &tp);

/// Whether a result must match exactly (token ids and masks) rather than
/// within float tolerance.
bool isExactResult(const std::string &key);

void saveCaseResults(const CaseResults &results, const std::string &path);
CaseResults loadCaseResults(const std::string &path);

} // namespace rlg::runtime::testing
