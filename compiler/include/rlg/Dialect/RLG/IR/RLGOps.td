// Ops of the rlg dialect: declarations, step nodes, losses and planning ops.
#ifndef RLG_OPS_TD
#define RLG_OPS_TD

include "rlg/Dialect/RLG/IR/RLGDialect.td"
include "rlg/Dialect/RLG/IR/RLGTypes.td"
include "rlg/Dialect/RLG/IR/RLGAttrs.td"
include "mlir/IR/SymbolInterfaces.td"

//===----------------------------------------------------------------------===//
// Declarations (module level)
//===----------------------------------------------------------------------===//

def RLG_ModelOp : RLG_Op<"model", [Symbol, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a model: role, shape, optimiser";
  let description = [{
    Declares a Llama/Qwen2-style decoder with a `policy`, `value` or `reward`
    role. A frozen copy names its `source`; `init_from` names the model whose
    weights it starts from; `init` is a checkpoint path to load at start;
    `hf` is the Hugging Face checkpoint folder whose config.json gave the
    sizes and whose weights and tokenizer the model starts from.
    `optimizer` is present on models some step updates.

    ```mlir
    rlg.model @actor {role = "policy", preset = "tiny", layers = 2, hidden = 64,
                      ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                      tie_embeddings, optimizer = {lr = 1.0e-04 : f64}}
    rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, ...}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$role, UnitAttr:$frozen,
                       OptionalAttr<FlatSymbolRefAttr>:$source,
                       OptionalAttr<FlatSymbolRefAttr>:$init_from,
                       OptionalAttr<StrAttr>:$preset,
                       I64Attr:$layers, I64Attr:$hidden, I64Attr:$ffn,
                       I64Attr:$heads, I64Attr:$kv_heads, I64Attr:$vocab,
                       UnitAttr:$tie_embeddings,
                       OptionalAttr<DictionaryAttr>:$optimizer,
                       OptionalAttr<StrAttr>:$init,
                       OptionalAttr<StrAttr>:$hf);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def RLG_DataOp : RLG_Op<"data", [Symbol]> {
  let summary = "a data source";
  let description = [{
    A built-in task or a JSONL file; `kind` is `prompts`, `pairs`, `demos` or
    `labeled`.

    ```mlir
    rlg.data @train {kind = "prompts", source = "task.arith", answers,
                     args = {digits = 2 : i64, split = "train"}}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$kind, StrAttr:$source,
                       UnitAttr:$answers, DictionaryAttr:$args);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def RLG_RewardOp : RLG_Op<"reward", [Symbol, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a reward: a rule, a model score or a weighted sum";
  let description = [{
    `kind = "rule"` names a built-in `rule` with its `args`; `kind = "model"`
    scores with a reward model; `kind = "sum"` adds other rewards with
    `weights`.

    ```mlir
    rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
    rlg.reward @total {kind = "sum", terms = [@correct, @fmt],
                       weights = [1.0, 1.0e-01]}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$kind,
                       OptionalAttr<StrAttr>:$rule,
                       OptionalAttr<DictionaryAttr>:$args,
                       OptionalAttr<FlatSymbolRefAttr>:$model,
                       OptionalAttr<SymbolRefArrayAttr>:$terms,
                       OptionalAttr<F64ArrayAttr>:$weights);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def RLG_RunOp : RLG_Op<"run", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "how long to train, in stages";
  let description = [{
    Each stage runs a step a number of times, in order.

    ```mlir
    rlg.run {stages = [{step = @grpo, steps = 200 : i64} ], seed = 1 : i64,
             checkpoint = {every = 50 : i64, dir = "checkpoints"}}
    ```
  }];
  let arguments = (ins ArrayAttr:$stages, I64Attr:$seed,
                       OptionalAttr<DictionaryAttr>:$checkpoint);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def RLG_EvalOp : RLG_Op<"eval", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "held-out evaluation every N steps";
  let description = [{
    ```mlir
    rlg.eval @test {model = @actor, every = 20 : i64, k = 4 : i64,
                    temperature = 6.0e-01 : f64}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$data, FlatSymbolRefAttr:$model,
                       I64Attr:$every, I64Attr:$k, F64Attr:$temperature,
                       OptionalAttr<I64Attr>:$max_tokens);
  let assemblyFormat = "$data attr-dict";
  let hasVerifier = 1;
}

def RLG_HintsOp : RLG_Op<"hints", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "what the program's schedule block pins";
  let description = [{
    Colocation groups, fixed layouts per `model.call`, and the overlap mode;
    the planner fills in the rest.

    ```mlir
    rlg.hints {colocate = [[@actor, @ref]],
               layouts = {"actor.generate" = {tp = 2 : i64}},
               overlap = {mode = "stream", chunks = 4 : i64}}
    ```
  }];
  let arguments = (ins ArrayAttr:$colocate, DictionaryAttr:$layouts,
                       DictionaryAttr:$overlap);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def RLG_StepOp : RLG_Op<"step", [Symbol, SingleBlock, NoTerminator]> {
  let summary = "one training step as a dataflow graph";
  let description = [{
    The body holds the step's nodes in a dependency order.

    ```mlir
    rlg.step @grpo {
      %p = rlg.batch @train {size = 16 : i64} : !rlg.prompts<16>
      %ro = rlg.generate @actor(%p) {n = 8 : i64} : !rlg.prompts<16> -> !rlg.rollouts<16 x 8>
      ...
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

//===----------------------------------------------------------------------===//
// Step nodes
//===----------------------------------------------------------------------===//

/// Ops that call a model carry the model's symbol and, once planned, where
/// and how they run.
class RLG_ModelCallOp<string mnemonic, list<Trait> traits = []>
    : RLG_Op<mnemonic, !listconcat(traits,
          [DeclareOpInterfaceMethods<SymbolUserOpInterface>])> {
  let hasVerifier = 1;
}

def RLG_BatchOp : RLG_Op<"batch",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "draw a batch from a data source";
  let description = [{
    ```mlir
    %p = rlg.batch @train {size = 16 : i64} : !rlg.prompts<16>
    %d = rlg.batch @train {size = 32 : i64, demos} : !rlg.demos<32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$data, I64Attr:$size, UnitAttr:$demos);
  let results = (outs RLG_BatchValue:$result);
  let assemblyFormat = "$data attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def RLG_GenerateOp : RLG_ModelCallOp<"generate"> {
  let summary = "sample n responses per prompt from a policy";
  let description = [{
    ```mlir
    %ro = rlg.generate @actor(%p) {n = 8 : i64, max_tokens = 8 : i64,
                                   temperature = 1.0 : f64}
        : !rlg.prompts<16> -> !rlg.rollouts<16 x 8>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, RLG_PromptsType:$prompts,
                       I64Attr:$n, I64Attr:$max_tokens, F64Attr:$temperature,
                       I64Attr:$top_k, F64Attr:$top_p, UnitAttr:$greedy);
  let results = (outs RLG_RolloutsType:$rollouts);
  let assemblyFormat = [{
    $model `(` $prompts `)` attr-dict `:` type($prompts) `->` type($rollouts)
  }];
}

def RLG_LogprobOp : RLG_ModelCallOp<"logprob"> {
  let summary = "log-probabilities under a policy";
  let description = [{
    Per token on rollouts, per side on pairs, per sequence on demos/labeled.

    ```mlir
    %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<16 x 8> -> !rlg.token_scores<16 x 8>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, AnyType:$input);
  let results = (outs RLG_ScoresValue:$result);
  let assemblyFormat = [{
    $model `(` $input `)` attr-dict `:` type($input) `->` type($result)
  }];
}

def RLG_ValueOp : RLG_ModelCallOp<"value"> {
  let summary = "a critic's per-token values";
  let description = [{
    ```mlir
    %v = rlg.value @critic(%ro) : !rlg.rollouts<16 x 1> -> !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, RLG_RolloutsType:$rollouts);
  let results = (outs RLG_TokenScoresType:$result);
  let assemblyFormat = [{
    $model `(` $rollouts `)` attr-dict `:` type($rollouts) `->` type($result)
  }];
}

def RLG_ScoreOp : RLG_ModelCallOp<"score"> {
  let summary = "a reward model's score per response";
  let description = [{
    ```mlir
    %s = rlg.score @rm(%ro) : !rlg.rollouts<16 x 1> -> !rlg.seq_scores<16 x 1>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, RLG_RolloutsType:$rollouts);
  let results = (outs RLG_SeqScoresType:$result);
  let assemblyFormat = [{
    $model `(` $rollouts `)` attr-dict `:` type($rollouts) `->` type($result)
  }];
}

def RLG_RewardApplyOp : RLG_Op<"reward_apply",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "apply a declared reward to rollouts";
  let description = [{
    ```mlir
    %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<16 x 8> -> !rlg.seq_scores<16 x 8>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$reward, RLG_RolloutsType:$rollouts);
  let results = (outs RLG_SeqScoresType:$result);
  let assemblyFormat = [{
    $reward `(` $rollouts `)` attr-dict `:` type($rollouts) `->` type($result)
  }];
  let hasVerifier = 1;
}

def RLG_KlOp : RLG_Op<"kl", [AllTypesMatch<["lp", "ref_lp", "result"]>]> {
  let summary = "a per-token KL estimate between two log-probs";
  let description = [{
    `estimator` is `k1`, `k2` or `k3`.

    ```mlir
    %kl = rlg.kl %lp, %ref_lp {estimator = "k1"} : !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins RLG_TokenScoresType:$lp, RLG_TokenScoresType:$ref_lp,
                       StrAttr:$estimator);
  let results = (outs RLG_TokenScoresType:$result);
  let assemblyFormat = "$lp `,` $ref_lp attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def RLG_AddOp : RLG_Op<"add"> {
  let summary = "add two scores of the same rollouts";
  let description = [{
    A sequence score added to token scores lands on the last token.

    ```mlir
    %t = rlg.add %r, %kl : !rlg.seq_scores<16 x 1>, !rlg.token_scores<16 x 1>
                        -> !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins RLG_ScoresValue:$lhs, RLG_ScoresValue:$rhs);
  let results = (outs RLG_ScoresValue:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def RLG_ScaleOp : RLG_Op<"scale", [AllTypesMatch<["input", "result"]>]> {
  let summary = "multiply scores by a constant";
  let description = [{
    ```mlir
    %s = rlg.scale %kl {factor = -5.0e-02 : f64} : !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins RLG_ScoresValue:$input, F64Attr:$factor);
  let results = (outs RLG_ScoresValue:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def RLG_AdvantageOp : RLG_Op<"advantage"> {
  let summary = "an advantage estimator";
  let description = [{
    `estimator` is `gae` (rewards, values; `gamma`, `lam`), `grpo` (rewards;
    `std_norm`), `rloo` (rewards), `reinforce_pp` (rewards; `gamma`) or
    `remax` (rewards, greedy baseline).

    ```mlir
    %adv = rlg.advantage "grpo"(%r) {std_norm = true}
        : (!rlg.seq_scores<16 x 8>) -> !rlg.advantages<16 x 8>
    ```
  }];
  let arguments = (ins StrAttr:$estimator, Variadic<RLG_ScoresValue>:$inputs,
                       OptionalAttr<F64Attr>:$gamma, OptionalAttr<F64Attr>:$lam,
                       OptionalAttr<BoolAttr>:$std_norm);
  let results = (outs RLG_AdvantagesType:$result);
  let assemblyFormat = [{
    $estimator `(` $inputs `)` attr-dict `:` functional-type($inputs, $result)
  }];
  let hasVerifier = 1;
}

def RLG_ReturnsOp : RLG_Op<"returns", [AllTypesMatch<["values", "result"]>]> {
  let summary = "value targets: advantages plus values";
  let description = [{
    ```mlir
    %ret = rlg.returns %adv, %v : !rlg.advantages<16 x 1>, !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins RLG_AdvantagesType:$advantages, RLG_TokenScoresType:$values);
  let results = (outs RLG_TokenScoresType:$result);
  let assemblyFormat = [{
    $advantages `,` $values attr-dict `:` type($advantages) `,` type($values)
  }];
  let hasVerifier = 1;
}

def RLG_FilterDynamicOp : RLG_Op<"filter_dynamic",
    [AllTypesMatch<["rollouts", "result"]>]> {
  let summary = "drop groups whose rewards are all equal";
  let description = [{
    With `refill` more prompts are sampled until the batch is full again.

    ```mlir
    %kept = rlg.filter_dynamic %ro, %r {refill}
        : !rlg.rollouts<16 x 8>, !rlg.seq_scores<16 x 8>
    ```
  }];
  let arguments = (ins RLG_RolloutsType:$rollouts, RLG_SeqScoresType:$rewards,
                       UnitAttr:$refill);
  let results = (outs RLG_RolloutsType:$result);
  let assemblyFormat = [{
    $rollouts `,` $rewards attr-dict `:` type($rollouts) `,` type($rewards)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses and updates
//===----------------------------------------------------------------------===//

class RLG_LossOp<string mnemonic, string what, list<Trait> traits = []>
    : RLG_Op<mnemonic # "_loss", traits> {
  let summary = what;
  let results = (outs RLG_LossType:$result);
}

def RLG_PpoClipLossOp : RLG_LossOp<"ppo_clip", "PPO's clipped surrogate"> {
  let description = [{
    ```mlir
    %l = rlg.ppo_clip_loss %old_lp, %adv {clip_low = 2.0e-01 : f64,
        clip_high = 2.8e-01 : f64} : !rlg.token_scores<16 x 8>, !rlg.advantages<16 x 8>
    ```
  }];
  let arguments = (ins RLG_TokenScoresType:$old_lp, RLG_AdvantagesType:$advantages,
                       F64Attr:$clip_low, F64Attr:$clip_high,
                       OptionalAttr<F64Attr>:$dual_clip);
  let assemblyFormat = [{
    $old_lp `,` $advantages attr-dict `:` type($old_lp) `,` type($advantages)
  }];
  let hasVerifier = 1;
}

def RLG_KlLossOp : RLG_LossOp<"kl", "KL of the current policy to a reference"> {
  let description = [{
    ```mlir
    %l = rlg.kl_loss %ref_lp {estimator = "k3"} : !rlg.token_scores<16 x 8>
    ```
  }];
  let arguments = (ins RLG_TokenScoresType:$ref_lp, StrAttr:$estimator);
  let assemblyFormat = "$ref_lp attr-dict `:` type($ref_lp)";
  let hasVerifier = 1;
}

def RLG_EntropyLossOp : RLG_LossOp<"entropy", "the current policy's entropy"> {
  let description = [{
    ```mlir
    %l = rlg.entropy_loss
    ```
  }];
  let assemblyFormat = "attr-dict";
}

def RLG_ValueLossOp : RLG_LossOp<"value", "the critic's (clipped) value loss",
    [AllTypesMatch<["old_values", "returns"]>]> {
  let description = [{
    ```mlir
    %l = rlg.value_loss %v, %ret {clip = 2.0e-01 : f64} : !rlg.token_scores<16 x 1>
    ```
  }];
  let arguments = (ins RLG_TokenScoresType:$old_values, RLG_TokenScoresType:$returns,
                       OptionalAttr<F64Attr>:$clip);
  let assemblyFormat = "$old_values `,` $returns attr-dict `:` type($old_values)";
  let hasVerifier = 1;
}

def RLG_PreferenceLossOp : RLG_LossOp<"preference",
    "a preference loss: dpo, ipo or kto"> {
  let description = [{
    `kind` is `dpo` or `ipo` (on pair scores) or `kto` (on labeled sequence
    scores); `beta` is DPO's and KTO's temperature, IPO's `tau`.

    ```mlir
    %l = rlg.preference_loss %ref_lp {kind = "dpo", beta = 1.0e-01 : f64}
        : !rlg.pair_scores<8>
    ```
  }];
  let arguments = (ins RLG_ScoresValue:$ref_lp, StrAttr:$kind, F64Attr:$beta,
                       OptionalAttr<F64Attr>:$desirable_weight,
                       OptionalAttr<F64Attr>:$undesirable_weight);
  let assemblyFormat = "$ref_lp attr-dict `:` type($ref_lp)";
  let hasVerifier = 1;
}

def RLG_SftLossOp : RLG_LossOp<"sft", "negative log-likelihood of demonstrations"> {
  let description = [{
    ```mlir
    %l = rlg.sft_loss %demos : !rlg.demos<32>
    ```
  }];
  let arguments = (ins RLG_DemosType:$demos);
  let assemblyFormat = "$demos attr-dict `:` type($demos)";
}

def RLG_BradleyTerryLossOp : RLG_LossOp<"bradley_terry",
    "the Bradley-Terry loss of a reward model on preference pairs"> {
  let description = [{
    ```mlir
    %l = rlg.bradley_terry_loss %pairs : !rlg.pairs<8>
    ```
  }];
  let arguments = (ins RLG_PairsType:$pairs);
  let assemblyFormat = "$pairs attr-dict `:` type($pairs)";
}

def RLG_LossAddOp : RLG_Op<"loss_add"> {
  let summary = "the sum of two losses";
  let description = [{
    ```mlir
    %l = rlg.loss_add %a, %b
    ```
  }];
  let arguments = (ins RLG_LossType:$lhs, RLG_LossType:$rhs);
  let results = (outs RLG_LossType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasVerifier = 1;
}

def RLG_LossScaleOp : RLG_Op<"loss_scale"> {
  let summary = "a loss times a constant";
  let description = [{
    ```mlir
    %l = rlg.loss_scale %kl {factor = 1.0e-03 : f64}
    ```
  }];
  let arguments = (ins RLG_LossType:$input, F64Attr:$factor);
  let results = (outs RLG_LossType:$result);
  let assemblyFormat = "$input attr-dict";
  let hasVerifier = 1;
}

def RLG_UpdateOp : RLG_ModelCallOp<"update"> {
  let summary = "train a model on a loss";
  let description = [{
    Runs `epochs` passes over the batch in mini-batches of `minibatch`
    sequences, each accumulated over micro-batches of `microbatch`;
    `agg` is `token-mean`, `seq-mean-token-sum` or `seq-mean-token-mean`.
    `batch` is the number of sequences the loss reads.

    ```mlir
    rlg.update @actor(%loss) {agg = "token-mean", batch = 128 : i64,
                              minibatch = 32 : i64, microbatch = 16 : i64,
                              epochs = 1 : i64}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, RLG_LossType:$loss,
                       StrAttr:$agg, I64Attr:$batch, I64Attr:$minibatch,
                       I64Attr:$microbatch, I64Attr:$epochs);
  let assemblyFormat = "$model `(` $loss `)` attr-dict";
}

//===----------------------------------------------------------------------===//
// Inserted by planning
//===----------------------------------------------------------------------===//

def RLG_ReshardOp : RLG_ModelCallOp<"reshard"> {
  let summary = "move a model's weights from one layout to another";
  let description = [{
    ```mlir
    rlg.reshard @actor {from = #rlg.placement<...>, to = #rlg.placement<...>}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, RLG_PlacementAttr:$from,
                       RLG_PlacementAttr:$to);
  let assemblyFormat = "$model attr-dict";
}

def RLG_TransferOp : RLG_Op<"transfer", [AllTypesMatch<["input", "result"]>]> {
  let summary = "send a value from one mesh to another";
  let description = [{
    ```mlir
    %b = rlg.transfer %a {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<16 x 8>
    ```
  }];
  let arguments = (ins AnyType:$input, RLG_MeshAttr:$from, RLG_MeshAttr:$to);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def RLG_OffloadOp : RLG_ModelCallOp<"offload"> {
  let summary = "move a model's state to host memory";
  let description = [{
    ```mlir
    rlg.offload @critic
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model);
  let assemblyFormat = "$model attr-dict";
}

def RLG_OnloadOp : RLG_ModelCallOp<"onload"> {
  let summary = "bring a model's state back to device memory";
  let description = [{
    ```mlir
    rlg.onload @critic
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model);
  let assemblyFormat = "$model attr-dict";
}

def RLG_WeightSyncOp : RLG_ModelCallOp<"weight_sync"> {
  let summary = "copy a model's weights into another model";
  let description = [{
    ```mlir
    rlg.weight_sync @actor {target = @rollout_actor}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model, FlatSymbolRefAttr:$target);
  let assemblyFormat = "$model attr-dict";
}

def RLG_AsyncOp : RLG_Op<"async"> {
  let summary = "mark where overlapping work starts";
  let description = [{
    ```mlir
    %t = rlg.async {label = "generate.next"} : !rlg.token
    ```
  }];
  let arguments = (ins StrAttr:$label);
  let results = (outs RLG_TokenType:$token);
  let assemblyFormat = "attr-dict `:` type($token)";
}

def RLG_AwaitOp : RLG_Op<"await"> {
  let summary = "wait for overlapping work";
  let description = [{
    ```mlir
    rlg.await %t
    ```
  }];
  let arguments = (ins RLG_TokenType:$token);
  let assemblyFormat = "$token attr-dict";
}

//===----------------------------------------------------------------------===//
// Inserted by hoisting
//===----------------------------------------------------------------------===//

def RLG_PrecomputeOp : RLG_Op<"precompute", [Symbol,
    HasParent<"::mlir::ModuleOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a frozen model's call on every example of a data source, "
                "computed once before training";
  let description = [{
    A table with one row per example of the data source `data`: what `call`
    of the frozen `model` gives for that example, computed once before the
    first step instead of in every step (as TRL's `precompute_ref_log_probs`
    does for DPO). Steps read rows with `rlg.lookup`. Inserted by
    `rlg-hoist-invariant`.

    `call` is `"logprob"`, the one call that reads data examples (`score` and
    `value` read rollouts, which change every step). A row holds what that
    call gives for one example: the summed log-probability of the chosen and
    of the rejected response of a pair (two numbers, as in
    `!rlg.pair_scores`), or of the response of a demonstration or labeled
    completion (one number, as in `!rlg.seq_scores`). With `demos`, the
    examples are those of `rlg.batch @data {demos}`: a task's prompts, each
    with its exact answer as the response.

    ```mlir
    rlg.precompute @ref_logprob_prefs {model = @ref, call = "logprob", data = @prefs}
    rlg.precompute @ref_logprob_train_demos {model = @ref, call = "logprob",
                                             data = @train, demos}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, FlatSymbolRefAttr:$model,
                       StrAttr:$call, FlatSymbolRefAttr:$data, UnitAttr:$demos);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def RLG_LookupOp : RLG_Op<"lookup", [HasParent<"::rlg::ir::StepOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "read the precomputed rows of a batch's examples";
  let description = [{
    Gives, for every example of a batch drawn by `rlg.batch`, its row of the
    `rlg.precompute` table `table`: the same value the hoisted call gave. The
    batch must come from the table's data source (with the same `demos`
    flag), directly or through `rlg.transfer`s; types follow the call's
    (`!rlg.pairs<B>` to `!rlg.pair_scores<B>`, demos or labeled to
    `!rlg.seq_scores<B>`).

    ```mlir
    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$table, RLG_BatchValue:$examples);
  let results = (outs RLG_ScoresValue:$result);
  let assemblyFormat = [{
    $table `(` $examples `)` attr-dict `:` type($examples) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // RLG_OPS_TD
