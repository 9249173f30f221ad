// Types of the values an rlg step moves, with their batch dimensions.
#ifndef RLG_TYPES_TD
#define RLG_TYPES_TD

include "rlg/Dialect/RLG/IR/RLGDialect.td"
include "mlir/IR/AttrTypeBase.td"

class RLG_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<RLG_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

/// A batch of B items, or B prompts with n samples each: `<16>` or `<16 x 8>`.
class RLG_BatchType<string name, string typeMnemonic, string what>
    : RLG_Type<name, typeMnemonic> {
  let summary = what;
  let description = "A batch of `batch` items" # [{; when `samples` is given,
    `batch` prompts with `samples` responses each. Example: `!rlg.}] #
    typeMnemonic # [{<16 x 8>`.}];
  let parameters = (ins "int64_t":$batch,
                        DefaultValuedParameter<"int64_t", "0">:$samples);
  let assemblyFormat = "`<` $batch (`x` $samples^)? `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Sequences in the batch: batch x samples, or batch without samples.
    int64_t getSequences() const {
      return getBatch() * (getSamples() > 0 ? getSamples() : 1);
    }
  }];
}

def RLG_PromptsType : RLG_BatchType<"Prompts", "prompts", "a batch of prompts">;
def RLG_PairsType : RLG_BatchType<"Pairs", "pairs",
    "a batch of preference pairs (prompt, chosen, rejected)">;
def RLG_DemosType : RLG_BatchType<"Demos", "demos",
    "a batch of demonstrations (prompt, response)">;
def RLG_LabeledType : RLG_BatchType<"Labeled", "labeled",
    "a batch of labeled completions (prompt, completion, label)">;
def RLG_RolloutsType : RLG_BatchType<"Rollouts", "rollouts",
    "sampled responses: batch prompts x samples each">;
def RLG_TokenScoresType : RLG_BatchType<"TokenScores", "token_scores",
    "one number per response token">;
def RLG_SeqScoresType : RLG_BatchType<"SeqScores", "seq_scores",
    "one number per response">;
def RLG_PairScoresType : RLG_BatchType<"PairScores", "pair_scores",
    "two numbers per preference pair (chosen, rejected)">;
def RLG_AdvantagesType : RLG_BatchType<"Advantages", "advantages",
    "one advantage per response token">;

def RLG_LossType : RLG_Type<"Loss", "loss"> {
  let summary = "a loss to minimise";
  let description = [{
    A scalar loss computed with the current weights of the model an
    `rlg.update` trains. Example: `!rlg.loss`.
  }];
}

def RLG_ModelType : RLG_Type<"Model", "model"> {
  let summary = "a handle to a declared model";
  let description = [{
    The weights of a model as one value, for the ops that move or copy them
    (`rlg.weight_sync`, `rlg.offload`). Example: `!rlg.model<"policy">`.
  }];
  let parameters = (ins StringRefParameter<"the model's role">:$role);
  let assemblyFormat = "`<` $role `>`";
}

def RLG_TokenType : RLG_Type<"Token", "token"> {
  let summary = "an ordering token for overlap";
  let description = [{
    Produced when asynchronous work starts and consumed by `rlg.await`, so
    that overlapping work keeps its order. Example: `!rlg.token`.
  }];
}

def RLG_BatchValue : AnyTypeOf<[RLG_PromptsType, RLG_PairsType, RLG_DemosType,
                                RLG_LabeledType]>;
def RLG_ScoresValue : AnyTypeOf<[RLG_TokenScoresType, RLG_SeqScoresType,
                                 RLG_PairScoresType, RLG_AdvantagesType]>;

#endif // RLG_TYPES_TD
