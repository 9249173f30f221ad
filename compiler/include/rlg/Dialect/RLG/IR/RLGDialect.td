// The rlg dialect: RL training pipelines as dataflow graphs of model calls.
#ifndef RLG_DIALECT_TD
#define RLG_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/OpAsmInterface.td"

def RLG_Dialect : Dialect {
  let name = "rlg";
  let cppNamespace = "::rlg::ir";
  let summary = "Reinforcement-learning pipelines for language models";
  let description = [{
    The `rlg` dialect holds a checked `.rlg` program: module-level declarations
    of models, data sources, rewards and the run settings, and one `rlg.step`
    per training step whose body is the step's dataflow graph. Values carry
    their batch dimensions in their types (`!rlg.rollouts<16 x 8>`); the
    planner's decisions (mesh, parallel layout) are attributes on the calls,
    and what planning inserts (reshards, transfers, offloads, weight syncs,
    overlap tokens) are ops of their own.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  // `rlg.placement` may sit on any op of a step (see verifyOperationAttribute).
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute that says where a step op runs.
    static constexpr ::llvm::StringLiteral kPlacementAttrName = "rlg.placement";
    /// Module attributes: the program's file and name, and the devices a
    /// placement strategy planned for.
    static constexpr ::llvm::StringLiteral kSourceAttrName = "rlg.source";
    static constexpr ::llvm::StringLiteral kProgramAttrName = "rlg.program";
    static constexpr ::llvm::StringLiteral kDevicesAttrName = "rlg.devices";
    /// The planner's predictions, a dictionary: {time_s} on a step op,
    /// {step_time_s, tokens_per_s} on a step, {strategy, cluster,
    /// memory_bytes} on the module.
    static constexpr ::llvm::StringLiteral kPredictionsAttrName =
        "rlg.predictions";
    /// How a step op takes part in overlapping steps (rlg-mark-overlap), a
    /// dictionary with `mode` and its number.
    static constexpr ::llvm::StringLiteral kOverlapAttrName = "rlg.overlap";
  }];
}

/// Every op names its result after the program's value (the op's NameLoc),
/// so printed IR reads `%old_lp = rlg.logprob ...`.
class RLG_Op<string mnemonic, list<Trait> traits = []>
    : Op<RLG_Dialect, mnemonic, !listconcat(traits,
          [DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>])> {
  let extraClassDefinition = [{
    void $cppClass::getAsmResultNames(::mlir::OpAsmSetValueNameFn setNameFn) {
      ::rlg::ir::nameResultsFromLoc(getOperation(), setNameFn);
    }
  }];
}

#endif // RLG_DIALECT_TD
