// What each call costs on a model's layout: its time and one device's
// memory while it runs, given what the group's other models keep resident.
// docs/cost-model.md, "Calls".
#pragma once

#include "rlg/Planner/Simulation.h"

namespace rlg::planner {

/// a + b, kind by kind.
MemoryLedger addLedgers(const MemoryLedger &a, const MemoryLedger &b);

/// The training layout `layout` gives `call`'s model on `devices` devices:
/// dp = devices / (tp x pp), with the micro-batches one optimiser step of
/// the call holds.
TrainLayout callTrainLayout(const PlanProblem &problem, int call,
                            const ModelLayout &layout, int64_t devices);

/// One device's share of the model's lasting state: a trainable model's
/// fp32 weights, gradients and AdamW moments (ZeRO-sharded), a frozen
/// model's bf16 weights.
MemoryLedger modelState(const PlanProblem &problem, int model,
                        const ModelLayout &layout, int64_t devices);

/// What the model keeps on a device outside its own calls: its state, or
/// nothing when it is offloaded.
MemoryLedger residentMemory(const PlanProblem &problem, int model,
                            const ModelLayout &layout, int64_t devices);

/// Seconds to move the model's state between device and host memory, one
/// way, over the host link (all devices of the group in parallel).
double offloadSeconds(const PlanProblem &problem, int model,
                      const ModelLayout &layout, int64_t devices);

/// Seconds to reshard the model's weights from its training layout to its
/// generation layout before it generates.
double generationReshardSeconds(const PlanProblem &problem, int model,
                                const ModelLayout &layout, int64_t devices);

/// The cost of `call` with its model laid out as `layout` on `devices`
/// devices while the group's other models keep `othersResidentBytes` on
/// each device. `memory` includes the call's own model only. A generate
/// batches as many sequences per replica as the memory left holds (in
/// waves when not all fit); when not even one fits, `problem` says so.
CallCost costCall(const PlanProblem &problem, int call,
                  const ModelLayout &layout, int64_t devices,
                  double othersResidentBytes);

} // namespace rlg::planner

namespace rlg::planner {

/// What the other models of `model`'s group keep on each of its devices.
MemoryLedger othersResident(const PlanProblem &problem, const Plan &plan,
                            int model);
double othersResidentBytes(const PlanProblem &problem, const Plan &plan,
                           int model);

} // namespace rlg::planner
