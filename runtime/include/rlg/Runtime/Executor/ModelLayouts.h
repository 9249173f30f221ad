// A model's weights in the layouts a schedule asks for: the layout its
// optimiser trains in, copies split for other calls, reshards, offloading.
#pragma once

#include "rlg/Runtime/Algorithms/Metrics.h"
#include "rlg/Runtime/Executor/RunContext.h"

namespace rlg::runtime {

/// The op whose layout `model`'s weights live in: its first update, else
/// its first call (generate, logprob, value, score), else null.
const schedule::Op *primaryOpOf(const schedule::Schedule &schedule,
                                const std::string &model);

/// The model to run an op placed at `place` with: the model itself when
/// the op splits it as its training layout does, else a copy split
/// place.tp ways, refreshed from the weights when they changed since (a
/// collective of the weights' tensor-parallel group).
Model &modelForPlacement(RunContext &run, ModelState &state,
                         const OpPlacement &place);

/// The whole weights of `state`'s model on every rank of its
/// tensor-parallel group (a collective of that group when it is split).
std::map<std::string, at::Tensor> fullWeightsOf(ModelState &state);

/// A `reshard` op: brings the model's weights into the `to` layout (a
/// copy split to.tp ways, gathered from the training layout's slices when
/// that is split), or does nothing when `to` is the training layout.
void runReshard(RunContext &run, const schedule::Op &op, MetricMap &metrics);

/// `offload` and `onload` ops: the model's weights, its copies and its
/// optimiser state move to host memory and back (nothing moves on a CPU
/// run). Reports offload/bytes.
void runOffload(RunContext &run, const schedule::Op &op, bool toHost,
                MetricMap &metrics);

/// Brings an offloaded model back before a call that needs it.
void ensureOnDevice(RunContext &run, ModelState &state);

} // namespace rlg::runtime
