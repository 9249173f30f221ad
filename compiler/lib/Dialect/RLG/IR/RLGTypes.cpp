// Verifiers and helpers of the rlg dialect's types.
#include "rlg/Dialect/RLG/IR/RLGTypes.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace rlg::ir {

namespace {
/// Whether a batch type counts samples per prompt: rollouts and what is
/// computed per response token always do, examples of a data batch and pair
/// scores never do, sequence scores do when they score rollouts.
enum class Samples { Never, Always, Maybe };

LogicalResult verifyBatch(function_ref<InFlightDiagnostic()> emitError,
                          StringRef mnemonic, Samples rule, int64_t batch,
                          int64_t samples) {
  if (batch < 1)
    return emitError() << "batch size must be at least 1, got " << batch;
  if (samples < 0)
    return emitError() << "sample count must not be negative, got " << samples;
  if (rule == Samples::Never && samples != 0)
    return emitError() << "!rlg." << mnemonic
                       << " has no samples per item, got <" << batch << " x "
                       << samples << ">";
  if (rule == Samples::Always && samples == 0)
    return emitError() << "!rlg." << mnemonic
                       << " needs a sample count, as in <" << batch
                       << " x N>, got <" << batch << ">";
  return success();
}
} // namespace

#define RLG_BATCH_TYPE_VERIFIER(Name, mnemonic, rule)                          \
  LogicalResult Name##Type::verify(                                            \
      function_ref<InFlightDiagnostic()> emitError, int64_t batch,             \
      int64_t samples) {                                                       \
    return verifyBatch(emitError, mnemonic, Samples::rule, batch, samples);    \
  }
RLG_BATCH_TYPE_VERIFIER(Prompts, "prompts", Never)
RLG_BATCH_TYPE_VERIFIER(Pairs, "pairs", Never)
RLG_BATCH_TYPE_VERIFIER(Demos, "demos", Never)
RLG_BATCH_TYPE_VERIFIER(Labeled, "labeled", Never)
RLG_BATCH_TYPE_VERIFIER(Rollouts, "rollouts", Always)
RLG_BATCH_TYPE_VERIFIER(TokenScores, "token_scores", Always)
RLG_BATCH_TYPE_VERIFIER(SeqScores, "seq_scores", Maybe)
RLG_BATCH_TYPE_VERIFIER(PairScores, "pair_scores", Never)
RLG_BATCH_TYPE_VERIFIER(Advantages, "advantages", Always)
#undef RLG_BATCH_TYPE_VERIFIER

int64_t sequenceCount(Type type) {
  int64_t batch = 0, samples = 0;
  if (!getBatchShape(type, batch, samples))
    return 0;
  return batch * (samples > 0 ? samples : 1);
}

bool getBatchShape(Type type, int64_t &batch, int64_t &samples) {
  auto read = [&](auto t) {
    batch = t.getBatch();
    samples = t.getSamples();
    return true;
  };
  return llvm::TypeSwitch<Type, bool>(type)
      .Case<PromptsType, PairsType, DemosType, LabeledType, RolloutsType,
            TokenScoresType, SeqScoresType, PairScoresType, AdvantagesType>(
          read)
      .Default([](Type) { return false; });
}

std::string shapeText(Type type) {
  int64_t batch = 0, samples = 0;
  if (!getBatchShape(type, batch, samples))
    return "[?]";
  std::string text = "[" + std::to_string(batch);
  if (samples > 0)
    text += " x " + std::to_string(samples);
  return text + "]";
}

} // namespace rlg::ir
