// Names and colours the planner's outputs share: device ranges, group
// titles, the layout each call runs with, and the kinds of calls, phases and
// events (private to lib/Planner).
#pragma once

#include "rlg/Planner/Simulation.h"

#include <string>
#include <vector>

namespace rlg::planner {

/// "GPUs 0-7", or "GPU 3" for a group of one.
std::string deviceRange(const DeviceGroup &group);
/// "actor, ref": the group's models by name.
std::string groupModelNames(const PlanProblem &problem, const Plan &plan,
                            int group);
/// "group 0: actor, ref (GPUs 0-7)".
std::string groupTitle(const PlanProblem &problem, const Plan &plan, int group);

/// "actor.generate".
std::string callTitle(const PlanProblem &problem, int call);
/// The layout `call` runs with: generation over the model's generateTp
/// (dp = devices / generateTp, pp = 1), a frozen model's calls with its
/// tp, pp and micro-batch (no ZeRO, no checkpointing), a trainable model's
/// forward passes with its training layout less checkpointing, and its
/// update with the training layout as it is. dp is devices / (tp x pp).
TrainLayout callLayout(const PlanProblem &problem, const Plan &plan, int call);
/// "dp4 tp2 pp1 zero1 mb2 ckpt", "dp4 tp2 (generation)", with " offload"
/// when the model's weights live in host memory between its phases.
std::string describeCallLayout(const PlanProblem &problem, const Plan &plan,
                               int call);

/// How a report groups calls: generation, inference (logprob, value,
/// score) and training (update).
enum class PhaseKind { Generation, Inference, Training };
PhaseKind phaseKindOf(CallKind kind);
/// "generation", "inference", "training".
const char *phaseKindName(PhaseKind kind);

/// "call", "reshard", "offload", "onload", "transfer".
const char *eventKindName(SimEvent::Kind kind);

/// What a chart colours an event by: the call's kind for calls
/// ("generate", ...), else the event's kind ("reshard", ...).
std::string eventColourKey(const PlanProblem &problem, const SimEvent &event);
/// A fill colour ("#4e79a7") for a key of eventColourKey; grey for others.
const char *colourOfKey(const std::string &key);
/// Every key of eventColourKey, in legend order.
const std::vector<std::string> &colourKeys();

} // namespace rlg::planner
