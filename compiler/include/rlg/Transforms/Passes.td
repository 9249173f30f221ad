// The rlg compiler's passes: canonicalising steps, then placing them.
#ifndef RLG_TRANSFORMS_PASSES_TD
#define RLG_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Canonicalisation
//===----------------------------------------------------------------------===//

def DeadNodeElimination : Pass<"rlg-dead-nodes", "::mlir::ModuleOp"> {
  let summary = "Remove step nodes that no update depends on";
  let description = [{
    A step exists for its effects: the `rlg.update`s that train models and
    the planning ops (reshard, transfer, offload, onload, weight_sync, async,
    await). Every op whose results reach no effect, directly or through other
    ops, is removed: an unused `rlg.batch` no longer draws examples, an
    unused `rlg.generate` no longer samples. An `rlg.precompute` table that no
    `rlg.lookup` reads goes too. Removal is silent.

    A step with no `rlg.update` trains nothing, so all of it would be
    removed; that is an error at the step.

    ```mlir
    rlg.step @s {
      %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
      %ro = rlg.generate @actor(%p) {...} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
      %unused = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
      %r = rlg.reward_apply @correct(%ro) : ...
      ...
      rlg.update @actor(%loss) {...}
    }
    ```
    loses `%unused`.
  }];
}

def MergeIdenticalCalls : Pass<"rlg-merge-calls", "::mlir::ModuleOp"> {
  let summary = "Merge deterministic step ops into an earlier identical op";
  let description = [{
    An op with the same name, operands and attributes (locations aside) as
    an earlier op of its step is replaced by that op, which keeps its
    location. Only deterministic ops merge: logprob, value, score,
    reward_apply, kl, add, scale, advantage, returns, filter_dynamic without
    `refill`, and loss ops. `rlg.generate`, `rlg.batch` and a refilling
    `rlg.filter_dynamic` sample, so two of them are two different draws and
    never merge.

    A model call merges only with a call that read the same weights: no
    `rlg.update` of the model, nor `rlg.weight_sync` into it, stands between
    the two. A loss op merges only within the loss of one update, since it
    is evaluated with the weights of the model that update trains. Merging
    one op makes its users identical too, so chains merge in one pass.

    ```mlir
    %a = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %b = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %k = rlg.kl %a, %b {estimator = "k1"} : !rlg.token_scores<4 x 2>
    ```
    becomes
    ```mlir
    %a = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %k = rlg.kl %a, %a {estimator = "k1"} : !rlg.token_scores<4 x 2>
    ```
  }];
}

def HoistInvariantCalls : Pass<"rlg-hoist-invariant", "::mlir::ModuleOp"> {
  let summary = "Compute a frozen model's calls on data examples once, "
                "before training";
  let description = [{
    A `rlg.logprob` of a frozen model (one that no `rlg.weight_sync` writes)
    whose input is directly an `rlg.batch` result reads dataset examples, not
    rollouts: it is a pure function of each example, the same in every step.
    Such calls become one module-level `rlg.precompute` table per (model,
    call, data source, demos) and an `rlg.lookup` of the batch's rows in the
    step, as TRL's `precompute_ref_log_probs` does for DPO. Identical calls,
    in one step or several, share one table.

    Precomputing runs the model once over the whole data source, so it pays
    only when the run draws at least as many examples from the source as it
    has: the stages of `rlg.run` times the sizes of their steps' batches of
    the source, against the `size` in the `rlg.data`'s `args`. A source
    without a `size` is not hoisted. `force=true` hoists regardless.

    ```mlir
    rlg.data @prefs {kind = "pairs", source = "jsonl", args = {size = 16 : i64}}
    rlg.step @train_dpo {
      %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8>
      %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
      ...
    }
    rlg.run {stages = [{step = @train_dpo, steps = 50 : i64} ], seed = 1 : i64}
    ```
    becomes
    ```mlir
    rlg.precompute @ref_logprob_prefs {call = "logprob", data = @prefs, model = @ref}
    rlg.step @train_dpo {
      %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8>
      %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
      ...
    }
    ```
  }];
  let options = [
    Option<"force", "force", "bool", /*default=*/"false",
           "Hoist even when the run draws fewer examples than the source has">
  ];
}

//===----------------------------------------------------------------------===//
// Placement
//===----------------------------------------------------------------------===//

def SingleDevicePlacement
    : Pass<"rlg-place-single-device", "::mlir::ModuleOp"> {
  let summary = "Place every step op on one device";
  let description = [{
    The "single-device" placement strategy: sets `rlg.devices = {count = 1,
    kind}` on the module and an `rlg.placement` on mesh `[0]` with
    dp = tp = pp = 1 on every placeable op (every step op but losses and
    planning ops). `zero`, `microbatch`, `checkpointing` and `offload` come
    from the schedule's pin for the op's `MODEL.CALL` where it has one;
    otherwise ZeRO 0, no checkpointing or offload, and micro-batch 0 (the
    runtime's choice), except an `rlg.update`, whose micro-batch is its own
    `microbatch`.

    A pin of dp, tp or pp above 1 needs several devices; it is an error at
    the `rlg.hints`.

    ```mlir
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64,
        minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
    ```
    becomes
    ```mlir
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64,
        minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64,
        rlg.placement = #rlg.placement<mesh = #rlg.mesh<[0]>,
          layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0,
          microbatch = 2, checkpointing = false, offload = false>>}
    ```
  }];
  let options = [
    Option<"deviceKind", "device-kind", "std::string", /*default=*/"\"cpu\"",
           "The kind of the device: cpu or cuda">
  ];
}

def PlaceDevices : Pass<"rlg-place", "::mlir::ModuleOp"> {
  let summary = "Place step ops with a placement strategy named by option";
  let description = [{
    Runs the placement strategy called `strategy` from the registry in
    lib/Analysis/Placement.cpp: "single-device" (the same as
    `rlg-place-single-device`), or one of the planner's strategies
    ("search", "colocate", "split", "standalone", "exhaustive"), which plan
    for the cluster file `cluster`: the planned step's workload goes to the
    strategy, its plan becomes an `rlg.placement` per op (a model's calls on
    its group's devices, generate with the generation tensor-parallel
    degree, the others with the training layout) and its predictions
    `rlg.predictions` on the calls, the step and the module. `calibration`
    names a calibration file of the cost model's efficiencies.

    `set` lists `key=value` sizes to plan for, applied to the IR before any
    strategy runs: `prompts`, `samples`, `response_tokens`,
    `MODEL.model=PRESET`; and the planner's `prompt_tokens` and
    `iterations`. When nothing fits, the planner's reason and hint are an
    error at the model concerned or at the rlg.hints.

    The runtime runs no pipeline stages, so the planner's layouts have
    pp = 1 and a pin of pp > 1 is an error, unless `allow-pipeline` is set
    (to size a pipelined plan; its schedule does not run).

    ```
    rlg-opt ppo.mlir "-rlg-place=strategy=search cluster=dgx-h100-x2.toml set=actor.model=llama-7b,prompts=512"
    ```

    A new strategy is one file and one registration line (in Placement.cpp,
    or in lib/Planner/Strategies.cpp for the planner's), and then runs as
    `rlg-place{strategy=NAME}` and in `rlg-pipeline`.
  }];
  let options = [
    Option<"strategy", "strategy", "std::string",
           /*default=*/"\"single-device\"", "The placement strategy's name">,
    Option<"deviceKind", "device-kind", "std::string", /*default=*/"\"cpu\"",
           "The kind of the devices: cpu or cuda (a cluster file's device "
           "decides for the planner's strategies)">,
    Option<"cluster", "cluster", "std::string", /*default=*/"\"\"",
           "The cluster file the planner's strategies plan for">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "A calibration file of the cost model's efficiencies">,
    ListOption<"settings", "set", "std::string",
               "key=value sizes to plan for (prompts, samples, "
               "prompt_tokens, response_tokens, iterations, MODEL.model)">,
    Option<"allowPipeline", "allow-pipeline", "bool", /*default=*/"false",
           "Let the planner's strategies use pipeline stages (pp > 1): for "
           "sizing only, the runtime does not run them">
  ];
}

def InsertMoves : Pass<"rlg-insert-moves", "::mlir::ModuleOp"> {
  let summary = "Insert the reshards, transfers and offloads a placement "
                "needs";
  let description = [{
    In every placed step:

    - an `rlg.transfer` of each value to each mesh that reads it from
      another one, once per value and mesh, before its first reader there
      (loss ops read on their update's mesh), named `VALUE_to_RANKS`;
    - an `rlg.reshard` of a model before each of its calls whose mesh, tp or
      pp differ from its previous call's; the step repeats, so the previous
      call of the first is the last (`actor.update` -> `actor.generate` of
      the next step), named `reshard_MODEL`;
    - for a model whose calls' layouts offload, an `rlg.onload` before each
      of its phases (a run of its calls and reshards that no call of
      another model on shared devices interrupts) and an `rlg.offload`
      after it, with the model's placement there.

    ```mlir
    %ro = rlg.generate @actor(%p) {rlg.placement = #rlg.placement<mesh = <[0, 1]>, layout = <dp = 1, tp = 2, ...>>, ...}
    %v = rlg.value @critic(%ro) {rlg.placement = #rlg.placement<mesh = <[2, 3]>, ...>}
    ```
    becomes
    ```mlir
    %ro = rlg.generate @actor(%p) {...}
    %ro_to_2-3 = rlg.transfer %ro {from = #rlg.mesh<[0, 1]>, to = #rlg.mesh<[2, 3]>} : ...
    %v = rlg.value @critic(%ro_to_2-3) {...}
    ```
  }];
}

def MarkOverlap : Pass<"rlg-mark-overlap", "::mlir::ModuleOp"> {
  let summary = "Mark the ops that the schedule's overlap mode concerns";
  let description = [{
    From `rlg.hints`' overlap: with `stream(chunks = N)`, each placed
    `rlg.generate` gets `rlg.overlap = {mode = "stream", chunks = N}` and
    each op reading its rollouts (directly or through a transfer) the same
    with `of = "GENERATE"`; N above the generate's prompts is an error at
    the `rlg.hints`. With `off_policy(staleness = S)`, each generate of a
    trained model gets `{mode = "off_policy", staleness = S}`. With `none()`
    nothing changes. The schedule keeps the mode in `run.overlap`.
  }];
}

def VerifyPlacement : Pass<"rlg-verify-placement", "::mlir::ModuleOp"> {
  let summary = "Check that a placement plan is complete and consistent";
  let description = [{
    Checks any plan, whichever strategy made it:

    - the module has `rlg.devices`; every placeable op has an
      `rlg.placement`, on ranks below the device count (so do the meshes of
      transfers and reshards);
    - a layout's dp divides the sequences the op processes (an update's
      mini-batch, a generate's prompts, otherwise its input batch), and so
      does micro-batch x dp when the micro-batch is set;
    - the keys the schedule pins for a `MODEL.CALL` have the pinned values,
      and the calls of colocated models run on one mesh;
    - an op that reads a value produced on another mesh reads it through an
      `rlg.transfer` from that mesh to its own;
    - for every model, two successive calls in block order whose mesh, tp or
      pp differ have an `rlg.reshard` of the model between them, from the
      first call's placement to the second's.

    Each problem is an error at the op concerned, with a hint; the IR is not
    changed.
  }];
}

#endif // RLG_TRANSFORMS_PASSES_TD
