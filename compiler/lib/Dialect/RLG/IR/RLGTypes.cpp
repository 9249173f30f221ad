// Verifiers and helpers of the rlg dialect's types.
#include "rlg/Dialect/RLG/IR/RLGTypes.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace rlg::ir {

namespace {
LogicalResult verifyBatch(function_ref<InFlightDiagnostic()> emitError,
                          int64_t batch, int64_t samples) {
  if (batch < 1)
    return emitError() << "batch size must be at least 1, got " << batch;
  if (samples < 0)
    return emitError() << "sample count must not be negative, got " << samples;
  return success();
}
} // namespace

#define RLG_BATCH_TYPE_VERIFIER(Name)                                          \
  LogicalResult Name##Type::verify(                                            \
      function_ref<InFlightDiagnostic()> emitError, int64_t batch,             \
      int64_t samples) {                                                       \
    return verifyBatch(emitError, batch, samples);                             \
  }
RLG_BATCH_TYPE_VERIFIER(Prompts)
RLG_BATCH_TYPE_VERIFIER(Pairs)
RLG_BATCH_TYPE_VERIFIER(Demos)
RLG_BATCH_TYPE_VERIFIER(Labeled)
RLG_BATCH_TYPE_VERIFIER(Rollouts)
RLG_BATCH_TYPE_VERIFIER(TokenScores)
RLG_BATCH_TYPE_VERIFIER(SeqScores)
RLG_BATCH_TYPE_VERIFIER(PairScores)
RLG_BATCH_TYPE_VERIFIER(Advantages)
#undef RLG_BATCH_TYPE_VERIFIER

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
