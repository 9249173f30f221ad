// Every verifier of the rlg dialect, one invalid form per case: types,
// attributes, module attributes, ops and their symbol uses.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

rlg.step @s {
  // expected-error @+1 {{batch size must be at least 1, got 0}}
  %p = rlg.batch @train {size = 0 : i64} : !rlg.prompts<0>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+2 {{sample count must not be negative, got -1}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x -1>
}

// -----

rlg.step @s {
  // expected-error @+1 {{!rlg.prompts has no samples per item, got <4 x 2>}}
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  // expected-error @+1 {{!rlg.pair_scores has no samples per item, got <4 x 1>}}
  %lp = rlg.logprob @ref(%p) : !rlg.pairs<4> -> !rlg.pair_scores<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+2 {{!rlg.rollouts needs a sample count, as in <4 x N>, got <4>}}
  %ro = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{!rlg.token_scores needs a sample count, as in <4 x N>, got <4>}}
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4>
}

// -----

//===----------------------------------------------------------------------===//
// Attributes: mesh, layout, placement
//===----------------------------------------------------------------------===//

// An empty mesh does not parse; MeshAttr::verify catches one built in C++.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+2 {{expected integer value}}
  // expected-error @+1 {{failed to parse RLG_MeshAttr parameter 'devices'}}
  %t = rlg.transfer %p {from = #rlg.mesh<[]>, to = #rlg.mesh<[1]>} : !rlg.prompts<4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{device rank must not be negative, got -1}}
  %t = rlg.transfer %p {from = #rlg.mesh<[-1]>, to = #rlg.mesh<[1]>} : !rlg.prompts<4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{device 1 appears twice in the mesh}}
  %t = rlg.transfer %p {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1, 2, 1]>} : !rlg.prompts<4>
}

// -----

rlg.step @s {
  // expected-error @+2 {{failed to parse RLG_PlacementAttr parameter 'layout'}}
  // expected-error @+1 {{dp, tp and pp must be at least 1, got dp = 1, tp = 0, pp = 1}}
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 0, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

rlg.step @s {
  // expected-error @+2 {{failed to parse RLG_PlacementAttr parameter 'layout'}}
  // expected-error @+1 {{the ZeRO stage must be between 0 and 3, got 4}}
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 4, microbatch = 0, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

rlg.step @s {
  // expected-error @+2 {{failed to parse RLG_PlacementAttr parameter 'layout'}}
  // expected-error @+1 {{micro-batch must not be negative, got -2}}
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = -2, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

rlg.step @s {
  // expected-error @+1 {{the layout needs dp x tp x pp = 4 devices but the mesh has 2}}
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 2, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

//===----------------------------------------------------------------------===//
// Discardable attributes: rlg.placement, rlg.source, rlg.program, rlg.devices
//===----------------------------------------------------------------------===//

rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op 'rlg.placement' must be a #rlg.placement attribute}}
  %p = rlg.batch @train {size = 4 : i64, rlg.placement = #rlg.mesh<[0]>} : !rlg.prompts<4>
}

// -----

// expected-error @+1 {{'rlg.model' op 'rlg.placement' belongs on an op inside an rlg.step}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  rlg.placement = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}

// -----

// expected-error @+1 {{'builtin.module' op 'rlg.source' is a string attribute of the module}}
module attributes {rlg.source = 3 : i64} {
}

// -----

// expected-error @+1 {{'rlg.data' op 'rlg.program' is a string attribute of the module}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}, rlg.program = "grpo"}

// -----

// expected-error @+1 {{'builtin.module' op 'rlg.devices' is {count = N : i64, kind = "cpu" or "cuda"} on the module}}
module attributes {rlg.devices = 4 : i64} {
}

// -----

// expected-error @+1 {{'rlg.devices' is {count = N : i64, kind = "cpu" or "cuda"} on the module}}
module attributes {rlg.devices = {count = 4 : i64}} {
}

// -----

// expected-error @+1 {{'rlg.devices' is {count = N : i64, kind = "cpu" or "cuda"} on the module}}
module attributes {rlg.devices = {count = 4 : i64, kind = "cuda", memory = 80 : i64}} {
}

// -----

// expected-error @+1 {{'rlg.step' op 'rlg.devices' is {count = N : i64, kind = "cpu" or "cuda"} on the module}}
rlg.step @s attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
}

// -----

// expected-error @+1 {{'rlg.devices' needs at least 1 device, got 0}}
module attributes {rlg.devices = {count = 0 : i64, kind = "cpu"}} {
}

// -----

// expected-error @+1 {{'rlg.devices' kind must be "cpu" or "cuda", got "tpu"}}
module attributes {rlg.devices = {count = 8 : i64, kind = "tpu"}} {
}

// -----

// expected-error @+1 {{'builtin.module' op unknown rlg attribute 'rlg.device'}}
module attributes {rlg.device = "cuda"} {
}

// -----

//===----------------------------------------------------------------------===//
// rlg.model
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'rlg.model' op role must be policy, value or reward, got "critic"}}
rlg.model @actor {role = "critic", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op layers must be at least 1, got 0}}
rlg.model @actor {role = "policy", layers = 0, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op kv_heads must be at least 1, got -2}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = -2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op hidden size 100 is not divisible by 8 heads}}
rlg.model @actor {role = "policy", layers = 2, hidden = 100, ffn = 176, heads = 8, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op 4 heads are not divisible by 3 key/value heads}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 3, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op a frozen model needs a source}}
rlg.model @ref {role = "policy", frozen, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.model' op only a frozen model has a source}}
rlg.model @ref {role = "policy", source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.model' op a frozen model has no optimizer}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4,
                kv_heads = 2, vocab = 64, optimizer = {lr = 1.0e-04 : f64}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'kind' must be "adamw", got "sgd"}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {kind = "sgd", lr = 1.0e-04 : f64}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'lr' must be a positive number, got 0.000000e+00 : f64}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 0.0 : f64}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'grad_clip' must be a number of at least 0, got -1.000000e+00 : f64}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 1.0e-04 : f64, grad_clip = -1.0 : f64}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'weight_decay' must be a number of at least 0, got "none"}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 1.0e-04 : f64, weight_decay = "none"}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'warmup' must be a whole number of steps, at least 0, got 1.500000e+00 : f64}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 1.0e-04 : f64, warmup = 1.5 : f64}}

// -----

// expected-error @+1 {{'rlg.model' op optimizer 'lr_schedule' must be "constant", "cosine" or "linear", got "step"}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 1.0e-04 : f64, lr_schedule = "step"}}

// -----

// expected-error @+1 {{'rlg.model' op unknown optimizer setting 'momentum'}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  optimizer = {lr = 1.0e-04 : f64, momentum = 9.0e-01 : f64}}

// -----

// ODS: a required attribute is missing.
// expected-error @+1 {{'rlg.model' op requires attribute 'vocab'}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2}

// -----

// ODS: an attribute of the wrong kind.
// expected-error @+1 {{'rlg.model' op attribute 'role' failed to satisfy constraint: string attribute}}
rlg.model @actor {role = 1 : i64, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-note @+1 {{see existing symbol definition here}}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{redefinition of symbol named 'actor'}}
rlg.model @actor {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op source names the model itself}}
rlg.model @ref {role = "policy", frozen, source = @ref, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op names @actor, which is not a model}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op init_from names the model itself}}
rlg.model @rm {role = "reward", init_from = @rm, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

rlg.data @actor {kind = "prompts", source = "task.arith", answers, args = {}}
// expected-error @+1 {{'rlg.model' op names @actor, which is not a model}}
rlg.model @rm {role = "reward", init_from = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.model' op a frozen copy has the role of its source, but @actor is a policy model and this one is a value model}}
rlg.model @ref {role = "value", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

// expected-error @+1 {{'rlg.model' op takes its weights from itself: @rm -> @critic -> @rm}}
rlg.model @rm {role = "reward", init_from = @critic, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", init_from = @rm, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}

// -----

//===----------------------------------------------------------------------===//
// rlg.data
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'rlg.data' op kind must be prompts, pairs, demos or labeled, got "rollouts"}}
rlg.data @train {kind = "rollouts", source = "task.arith", args = {}}

// -----

// expected-error @+1 {{'rlg.data' op source must be jsonl, task.arith, task.sort or task.reverse, got "task.sum"}}
rlg.data @train {kind = "prompts", source = "task.sum", args = {}}

// -----

// expected-error @+1 {{'rlg.data' op only prompts have answers, but the kind is "pairs"}}
rlg.data @prefs {kind = "pairs", source = "jsonl", answers, args = {path = "p.jsonl"}}

// -----

// expected-error @+1 {{'rlg.data' op a jsonl source needs a string 'path' in args}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {file = "p.jsonl"}}

// -----

// expected-error @+1 {{'rlg.data' op a task gives prompts, not demos}}
rlg.data @train {kind = "demos", source = "task.sort", args = {}}

// -----

// expected-error @+1 {{'rlg.data' op split must be "train" or "test", got "dev"}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {split = "dev"}}

// -----

// expected-error @+1 {{'rlg.data' op 'length' must be at least 1, got 0 : i64}}
rlg.data @train {kind = "prompts", source = "task.reverse", answers, args = {length = 0 : i64}}

// -----

// expected-error @+1 {{'rlg.data' op 'seed' must be at least 0, got -1 : i64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {seed = -1 : i64}}

// -----

// expected-error @+1 {{'rlg.data' op 'ops' must be a non-empty string of +, - and *, got "+/"}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {ops = "+/"}}

// -----

//===----------------------------------------------------------------------===//
// rlg.reward
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'rlg.reward' op a rule reward needs 'rule'}}
rlg.reward @correct {kind = "rule", args = {}}

// -----

// expected-error @+1 {{'rlg.reward' op unknown rule "exact"}}
rlg.reward @correct {kind = "rule", rule = "exact", args = {}}

// -----

// expected-error @+1 {{'rlg.reward' op rule format needs a string 'pattern' argument}}
rlg.reward @fmt {kind = "rule", rule = "format", args = {regex = "^[0-9]+$"}}

// -----

// expected-error @+1 {{'rlg.reward' op length_penalty 'target' must be at least 1, got 0 : i64}}
rlg.reward @short {kind = "rule", rule = "length_penalty", args = {target = 0 : i64}}

// -----

// expected-error @+1 {{'rlg.reward' op length_penalty 'weight' must not be negative, got -1.000000e-02 : f64}}
rlg.reward @short {kind = "rule", rule = "length_penalty", args = {target = 32 : i64, weight = -0.01 : f64}}

// -----

// expected-error @+1 {{'rlg.reward' op overlong 'max' and 'buffer' are token counts}}
rlg.reward @long {kind = "rule", rule = "overlong", args = {max = 2.0e+01 : f64}}

// -----

// expected-error @+1 {{'rlg.reward' op overlong needs 0 < buffer < max, got buffer = 8, max = 8}}
rlg.reward @long {kind = "rule", rule = "overlong", args = {max = 8 : i64, buffer = 8 : i64}}

// -----

// expected-error @+1 {{'rlg.reward' op a model reward needs 'model'}}
rlg.reward @prefer {kind = "model"}

// -----

// expected-error @+1 {{'rlg.reward' op a weighted sum needs 'terms' and 'weights'}}
rlg.reward @total {kind = "sum", terms = [@correct]}

// -----

// expected-error @+1 {{'rlg.reward' op has 2 terms but 1 weights}}
rlg.reward @total {kind = "sum", terms = [@correct, @fmt], weights = [1.0]}

// -----

// expected-error @+1 {{'rlg.reward' op weights must be finite numbers, got 0x7FF0000000000000 : f64}}
rlg.reward @total {kind = "sum", terms = [@correct], weights = [0x7FF0000000000000 : f64]}

// -----

// expected-error @+1 {{'rlg.reward' op kind must be rule, model or sum, got "product"}}
rlg.reward @total {kind = "product"}

// -----

// ODS: weights are f64.
// expected-error @+1 {{'rlg.reward' op attribute 'weights' failed to satisfy constraint: 64-bit float array attribute}}
rlg.reward @total {kind = "sum", terms = [@correct], weights = [1 : i64]}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.reward' op needs a reward model, but @actor is a policy model}}
rlg.reward @prefer {kind = "model", model = @actor}

// -----

// expected-error @+1 {{'rlg.reward' op names @rm, which is not a model}}
rlg.reward @prefer {kind = "model", model = @rm}

// -----

rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.data @fmt {kind = "prompts", source = "task.arith", answers, args = {}}
// expected-error @+1 {{'rlg.reward' op term @fmt is not a reward}}
rlg.reward @total {kind = "sum", terms = [@correct, @fmt], weights = [1.0, 0.5]}

// -----

rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// expected-error @+1 {{'rlg.reward' op refers to itself: @total -> @inner -> @total}}
rlg.reward @total {kind = "sum", terms = [@correct, @inner], weights = [1.0, 0.5]}
rlg.reward @inner {kind = "sum", terms = [@total], weights = [2.0]}

// -----

//===----------------------------------------------------------------------===//
// rlg.run and rlg.eval
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'rlg.run' op needs at least one stage}}
rlg.run {stages = [], seed = 1 : i64}

// -----

// expected-error @+1 {{'rlg.run' op each stage is {step = @S, steps = N}}}
rlg.run {stages = [{step = "grpo", steps = 10 : i64}], seed = 1 : i64}

// -----

// expected-error @+1 {{'rlg.run' op a stage runs at least 1 step, got 0}}
rlg.run {stages = [{step = @grpo, steps = 0 : i64}], seed = 1 : i64}

// -----

// expected-error @+1 {{'rlg.run' op seed must not be negative, got -3}}
rlg.run {stages = [{step = @grpo, steps = 10 : i64}], seed = -3 : i64}

// -----

// expected-error @+1 {{'rlg.run' op checkpoint is {every = N, dir = "path"}}}
rlg.run {stages = [{step = @grpo, steps = 10 : i64}], seed = 1 : i64, checkpoint = {dir = "ckpt"}}

// -----

// expected-error @+1 {{'rlg.run' op checkpoint 'every' must be at least 1, got 0}}
rlg.run {stages = [{step = @grpo, steps = 10 : i64}], seed = 1 : i64, checkpoint = {every = 0 : i64, dir = "ckpt"}}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.step @grpo {
}
// expected-error @+1 {{'rlg.run' op stage names @actor, which is not a step}}
rlg.run {stages = [{step = @grpo, steps = 10 : i64}, {step = @actor, steps = 5 : i64}], seed = 1 : i64}

// -----

// expected-error @+1 {{'rlg.eval' op 'every' must be at least 1, got 0}}
rlg.eval @test {model = @actor, every = 0 : i64, k = 4 : i64, temperature = 6.0e-01 : f64}

// -----

// expected-error @+1 {{'rlg.eval' op 'k' must be at least 1, got 0}}
rlg.eval @test {model = @actor, every = 20 : i64, k = 0 : i64, temperature = 6.0e-01 : f64}

// -----

// expected-error @+1 {{'rlg.eval' op temperature must be a number of at least 0, got -1.000000e+00}}
rlg.eval @test {model = @actor, every = 20 : i64, k = 4 : i64, temperature = -1.0 : f64}

// -----

// expected-error @+1 {{'rlg.eval' op max_tokens must be at least 1, got 0}}
rlg.eval @test {model = @actor, every = 20 : i64, k = 4 : i64, temperature = 0.0 : f64, max_tokens = 0 : i64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.eval' op names @actor, which is not a data source}}
rlg.eval @actor {model = @actor, every = 20 : i64, k = 4 : i64, temperature = 0.0 : f64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "p.jsonl"}}
// expected-error @+1 {{'rlg.eval' op needs prompts with answers, but @prefs has pairs}}
rlg.eval @prefs {model = @actor, every = 20 : i64, k = 4 : i64, temperature = 0.0 : f64}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @test {kind = "prompts", source = "jsonl", args = {path = "q.jsonl"}}
// expected-error @+1 {{'rlg.eval' op needs prompts with answers, but @test has no answers}}
rlg.eval @test {model = @actor, every = 20 : i64, k = 4 : i64, temperature = 0.0 : f64}

// -----

rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @test {kind = "prompts", source = "task.arith", answers, args = {split = "test"}}
// expected-error @+1 {{'rlg.eval' op evaluates @critic, which is not a policy model}}
rlg.eval @test {model = @critic, every = 20 : i64, k = 4 : i64, temperature = 0.0 : f64}

// -----

//===----------------------------------------------------------------------===//
// rlg.hints
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'rlg.hints' op colocate is a list of groups of models, as in [[@actor, @ref]], got @actor}}
rlg.hints {colocate = [@actor, @ref], layouts = {}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op a colocate group needs at least two models, got [@actor]}}
rlg.hints {colocate = [[@actor]], layouts = {}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op model @ref is colocated twice}}
rlg.hints {colocate = [[@actor, @ref], [@critic, @ref]], layouts = {}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op layout key "actor.train" must be MODEL.CALL with CALL one of generate, logprob, value, score, update}}
rlg.hints {colocate = [], layouts = {"actor.train" = {tp = 2 : i64}}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op the layout of "actor.generate" must be a dictionary, got 2 : i64}}
rlg.hints {colocate = [], layouts = {"actor.generate" = 2 : i64}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op 'offload' of "actor.update" must be true or false, got 1 : i64}}
rlg.hints {colocate = [], layouts = {"actor.update" = {offload = 1 : i64}}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op unknown layout setting 'tpp' in "actor.generate"}}
rlg.hints {colocate = [], layouts = {"actor.generate" = {tpp = 2 : i64}}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op 'zero' of "actor.update" must be an integer from 0 to 3, got 4 : i64}}
rlg.hints {colocate = [], layouts = {"actor.update" = {dp = 4 : i64, zero = 4 : i64}}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op 'tp' of "actor.generate" must be an integer from 1 to 65536, got 0 : i64}}
rlg.hints {colocate = [], layouts = {"actor.generate" = {tp = 0 : i64}}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op overlap mode must be "none", "off_policy" or "stream", got "async"}}
rlg.hints {colocate = [], layouts = {}, overlap = {mode = "async"}}

// -----

// expected-error @+1 {{'rlg.hints' op overlap mode "off_policy" takes no 'chunks'}}
rlg.hints {colocate = [], layouts = {}, overlap = {mode = "off_policy", chunks = 4 : i64}}

// -----

// expected-error @+1 {{'rlg.hints' op overlap 'staleness' must be an integer from 1 to 64, got 0 : i64}}
rlg.hints {colocate = [], layouts = {}, overlap = {mode = "off_policy", staleness = 0 : i64}}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.hints' op names @ref, which is not a model}}
rlg.hints {colocate = [[@actor, @ref]], layouts = {}, overlap = {mode = "none"}}

// -----

// expected-error @+1 {{'rlg.hints' op names @actor, which is not a model}}
rlg.hints {colocate = [], layouts = {"actor.generate" = {tp = 2 : i64}}, overlap = {mode = "none"}}

// -----

rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.hints' op sets the layout of "critic.generate", but @critic (value model) makes no 'generate' calls}}
rlg.hints {colocate = [], layouts = {"critic.generate" = {tp = 2 : i64}}, overlap = {mode = "none"}}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// expected-error @+1 {{'rlg.hints' op sets the layout of "ref.update", but @ref (frozen policy model) makes no 'update' calls}}
rlg.hints {colocate = [], layouts = {"ref.update" = {dp = 2 : i64}}, overlap = {mode = "none"}}

// -----

//===----------------------------------------------------------------------===//
// rlg.step
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
  // expected-error @+1 {{'rlg.update' op updates @actor a second time in step @s; a model is updated at most once per step}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

//===----------------------------------------------------------------------===//
// rlg.batch
//===----------------------------------------------------------------------===//

rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op draws 8 items but its type has 4}}
  %p = rlg.batch @train {size = 8 : i64} : !rlg.prompts<4>
}

// -----

rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op a demos batch has type !rlg.demos}}
  %p = rlg.batch @train {size = 4 : i64, demos} : !rlg.prompts<4>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op names @nope, which is not a data source}}
  %p = rlg.batch @nope {size = 4 : i64} : !rlg.prompts<4>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op type '!rlg.pairs<4>' does not match data @train of kind "prompts"}}
  %p = rlg.batch @train {size = 4 : i64} : !rlg.pairs<4>
}

// -----

// Demonstrations drawn from prompts need their answers.
rlg.data @plain {kind = "prompts", source = "jsonl", args = {path = "q.jsonl"}}
rlg.step @s {
  // expected-error @+1 {{'rlg.batch' op type '!rlg.demos<4>' does not match data @plain of kind "prompts"}}
  %d = rlg.batch @plain {size = 4 : i64, demos} : !rlg.demos<4>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.generate
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op n must be at least 1, got 0}}
  %ro = rlg.generate @actor(%p) {n = 0 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op result must be !rlg.rollouts<4 x 2>, got '!rlg.rollouts<4 x 3>'}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 3>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op greedy decoding needs n = 1, got 2}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op max_tokens must be at least 1}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 0 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op temperature must not be negative}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = -0.5 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op top_p must be in (0, 1], got 0.000000e+00}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 0.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op top_k must not be negative}}
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = -1 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

// ODS: the prompts operand must be !rlg.prompts (generic form; the custom form would not parse).
rlg.step @s {
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  // expected-error @+1 {{'rlg.generate' op operand #0 must be a batch of prompts, but got '!rlg.demos<4>'}}
  %ro = "rlg.generate"(%d) {model = @actor, n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : (!rlg.demos<4>) -> !rlg.rollouts<4 x 2>
}

// -----

// ODS: a required attribute is missing.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op requires attribute 'n'}}
  %ro = rlg.generate @actor(%p) {max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op names @policy, which is not a model}}
  %ro = rlg.generate @policy(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.generate' op needs a policy model, but @critic is a value model}}
  %ro = rlg.generate @critic(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.logprob, rlg.value, rlg.score, rlg.reward_apply
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.logprob' op maps rollouts to token scores, pairs to pair scores, demos or labeled to sequence scores; got '!rlg.rollouts<4 x 2>' -> '!rlg.seq_scores<4 x 2>'}}
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.logprob' op input and result must have the same batch shape, got [4 x 2] and [4 x 4]}}
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 4>
}

// -----

// ODS: the result must be scores.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.logprob' op result #0 must be}}
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.logprob' op needs a policy model, but @rm is a reward model}}
  %lp = rlg.logprob @rm(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.value' op rollouts and values must have the same batch shape, got [4 x 2] and [2 x 2]}}
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<2 x 2>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.value' op needs a value model, but @actor is a policy model}}
  %v = rlg.value @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.score' op rollouts and scores must have the same batch shape, got [4 x 2] and [4 x 1]}}
  %s = rlg.score @rm(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 1>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.score' op needs a reward model, but @critic is a value model}}
  %s = rlg.score @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.reward_apply' op rollouts and rewards must have the same batch shape, got [4 x 2] and [4]}}
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.reward_apply' op names @rm, which is not a reward}}
  %r = rlg.reward_apply @rm(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.kl
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op estimator must be k1, k2 or k3, got "k4"}}
  %kl = rlg.kl %lp, %ref {estimator = "k4"} : !rlg.token_scores<4 x 2>
}

// -----

// ODS: both log-probs and the result have one type.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op failed to verify that all of {lp, ref_lp, result} have same type}}
  %kl = "rlg.kl"(%lp, %ref) {estimator = "k1"} : (!rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 2>) -> !rlg.token_scores<2 x 4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op 'lp' must be log-probs from rlg.logprob, got scores from rlg.value}}
  %kl = rlg.kl %v, %ref {estimator = "k1"} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %mix = rlg.add %ref, %v : !rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op 'ref_lp' must be log-probs from rlg.logprob, got a combination of scores}}
  %kl = rlg.kl %lp, %mix {estimator = "k1"} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op the log-probs are computed on different rollouts or batches}}
  %kl = rlg.kl %lp, %ref {estimator = "k1"} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %lp2 = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl' op both log-probs come from @actor, so the KL is zero}}
  %kl = rlg.kl %lp, %lp2 {estimator = "k1"} : !rlg.token_scores<4 x 2>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.add and rlg.scale
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %p2 = rlg.batch @train {size = 2 : i64} : !rlg.prompts<2>
  %ro2 = rlg.generate @actor(%p2) {n = 4 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<2> -> !rlg.rollouts<2 x 4>
  %r1 = rlg.reward_apply @correct(%ro2) : !rlg.rollouts<2 x 4> -> !rlg.seq_scores<2 x 4>
  // expected-error @+1 {{'rlg.add' op operands must have the same batch shape, got [4 x 2] and [2 x 4]}}
  %sum = rlg.add %r, %r1 : !rlg.seq_scores<4 x 2>, !rlg.seq_scores<2 x 4> -> !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.add' op operands and result must have the same batch shape, got [4 x 2] and [4 x 1]}}
  %sum = rlg.add %r, %r : !rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2> -> !rlg.seq_scores<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %kl = rlg.kl %lp, %ref {estimator = "k1"} : !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.add' op sequence plus token scores gives token scores}}
  %sum = rlg.add %r, %kl : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.add' op cannot add '!rlg.advantages<4 x 2>' and '!rlg.token_scores<4 x 2>' into '!rlg.advantages<4 x 2>'}}
  %sum = rlg.add %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  %lp = rlg.logprob @ref(%p) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // expected-error @+1 {{'rlg.add' op cannot add '!rlg.pair_scores<4>' and '!rlg.pair_scores<4>' into '!rlg.pair_scores<4>'}}
  %sum = rlg.add %lp, %lp : !rlg.pair_scores<4>, !rlg.pair_scores<4> -> !rlg.pair_scores<4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %r2 = rlg.reward_apply @correct(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.add' op the operands are computed on different rollouts or batches}}
  %sum = rlg.add %r, %r2 : !rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2> -> !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.scale' op factor must be a finite number, got nan}}
  %s = rlg.scale %r {factor = 0x7FF8000000000000 : f64} : !rlg.seq_scores<4 x 2>
}

// -----

// ODS: scaling keeps the type.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.scale' op failed to verify that all of {input, result} have same type}}
  %s = "rlg.scale"(%r) {factor = 2.0 : f64} : (!rlg.seq_scores<4 x 2>) -> !rlg.token_scores<4 x 2>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.advantage
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op unknown estimator "ppo"}}
  %adv = rlg.advantage "ppo"(%r) : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op 'gae' takes 2 inputs, got 1}}
  %adv = rlg.advantage "gae"(%r) {gamma = 1.0 : f64, lam = 0.95 : f64} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op 'grpo' takes no 'lam'}}
  %adv = rlg.advantage "grpo"(%r) {lam = 0.95 : f64} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op lam must be in [0, 1], got 1.500000e+00}}
  %adv = rlg.advantage "gae"(%r, %v) {gamma = 1.0 : f64, lam = 1.5 : f64} : (!rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op rewards must be sequence or token scores, got '!rlg.advantages<4 x 2>'}}
  %adv2 = rlg.advantage "rloo"(%adv) : (!rlg.advantages<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %lp = rlg.logprob @actor(%d) : !rlg.demos<4> -> !rlg.seq_scores<4>
  // expected-error @+1 {{'rlg.advantage' op rewards must be scores of rollouts, got '!rlg.seq_scores<4>'}}
  %adv = rlg.advantage "reinforce_pp"(%lp) {gamma = 1.0 : f64} : (!rlg.seq_scores<4>) -> !rlg.advantages<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op rewards and advantages must have the same batch shape, got [4 x 2] and [4 x 1]}}
  %adv = rlg.advantage "rloo"(%r) : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // expected-error @+1 {{'rlg.advantage' op 'grpo' needs at least 2 samples per prompt, got 1}}
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 1>) -> !rlg.advantages<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %r2 = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op gae's values must be token scores}}
  %adv = rlg.advantage "gae"(%r, %r2) {gamma = 1.0 : f64, lam = 0.95 : f64} : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op 'values' must be values from rlg.value, got scores from rlg.logprob}}
  %adv = rlg.advantage "gae"(%r, %lp) {gamma = 1.0 : f64, lam = 0.95 : f64} : (!rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %v = rlg.value @critic(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op rewards and values are computed on different rollouts or batches}}
  %adv = rlg.advantage "gae"(%r, %v) {gamma = 1.0 : f64, lam = 0.95 : f64} : (!rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.advantage' op the remax baseline must be !rlg.seq_scores<4 x 1>}}
  %adv = rlg.advantage "remax"(%r, %r) : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %g = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %rg = rlg.reward_apply @correct(%g) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // expected-error @+1 {{'rlg.advantage' op the remax baseline must score the rollouts of a greedy rlg.generate}}
  %adv = rlg.advantage "remax"(%r, %rg) : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 1>) -> !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %g = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %rg = rlg.reward_apply @correct(%g) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // expected-error @+1 {{'rlg.advantage' op the remax baseline scores the same rollouts as the rewards}}
  %adv = rlg.advantage "remax"(%rg, %rg) : (!rlg.seq_scores<4 x 1>, !rlg.seq_scores<4 x 1>) -> !rlg.advantages<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %p2 = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %g = rlg.generate @actor(%p2) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %rg = rlg.reward_apply @correct(%g) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // expected-error @+1 {{'rlg.advantage' op the remax baseline answers other prompts than the rewards}}
  %adv = rlg.advantage "remax"(%r, %rg) : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 1>) -> !rlg.advantages<4 x 2>
}

// -----

//===----------------------------------------------------------------------===//
// rlg.returns and rlg.filter_dynamic
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %adv1 = rlg.advantage "rloo"(%r) : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %p1 = rlg.batch @train {size = 2 : i64} : !rlg.prompts<2>
  %ro1 = rlg.generate @actor(%p1) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<2> -> !rlg.rollouts<2 x 2>
  %v1 = rlg.value @critic(%ro1) : !rlg.rollouts<2 x 2> -> !rlg.token_scores<2 x 2>
  // expected-error @+1 {{'rlg.returns' op advantages and values must have the same batch shape, got [4 x 2] and [2 x 2]}}
  %ret = rlg.returns %adv, %v1 : !rlg.advantages<4 x 2>, !rlg.token_scores<2 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.returns' op 'values' must be values from rlg.value, got scores from rlg.logprob}}
  %ret = rlg.returns %adv, %lp : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %v = rlg.value @critic(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.returns' op advantages and values are computed on different rollouts or batches}}
  %ret = rlg.returns %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %p2 = rlg.batch @train {size = 2 : i64} : !rlg.prompts<2>
  %ro2 = rlg.generate @actor(%p2) {n = 4 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<2> -> !rlg.rollouts<2 x 4>
  %r2 = rlg.reward_apply @correct(%ro2) : !rlg.rollouts<2 x 4> -> !rlg.seq_scores<2 x 4>
  // expected-error @+1 {{'rlg.filter_dynamic' op rollouts and rewards must have the same batch shape, got [4 x 2] and [2 x 4]}}
  %kept = rlg.filter_dynamic %ro, %r2 {refill} : !rlg.rollouts<4 x 2>, !rlg.seq_scores<2 x 4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // expected-error @+1 {{'rlg.filter_dynamic' op filtering groups needs at least 2 samples per prompt}}
  %kept = rlg.filter_dynamic %ro, %r {refill} : !rlg.rollouts<4 x 1>, !rlg.seq_scores<4 x 1>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r2 = rlg.reward_apply @correct(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.filter_dynamic' op the rewards score other rollouts than the ones it filters}}
  %kept = rlg.filter_dynamic %ro, %r2 {refill} : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2>
}

// -----

// ODS: filtering keeps whole groups, so the type stays.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.filter_dynamic' op failed to verify that all of {rollouts, result} have same type}}
  %kept = "rlg.filter_dynamic"(%ro, %r) {refill} : (!rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2>) -> !rlg.rollouts<4 x 1>
}

// -----

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %r1 = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %p1 = rlg.batch @train {size = 2 : i64} : !rlg.prompts<2>
  %ro1 = rlg.generate @actor(%p1) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<2> -> !rlg.rollouts<2 x 2>
  %r2 = rlg.reward_apply @correct(%ro1) : !rlg.rollouts<2 x 2> -> !rlg.seq_scores<2 x 2>
  %adv1 = rlg.advantage "rloo"(%r2) : (!rlg.seq_scores<2 x 2>) -> !rlg.advantages<2 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op old log-probs and advantages must have the same batch shape, got [4 x 2] and [2 x 2]}}
  %l = rlg.ppo_clip_loss %lp, %adv1 {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<2 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op clip_low must be in (0, 1), got 1.000000e+00}}
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 1.0 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op clip_high must be positive, got 0.000000e+00}}
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 0.0 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op dual_clip must be greater than 1, got 5.000000e-01}}
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64, dual_clip = 0.5 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op 'old_lp' must be log-probs from rlg.logprob, got scores from rlg.value}}
  %l = rlg.ppo_clip_loss %v, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp2 = rlg.logprob @actor(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.ppo_clip_loss' op old log-probs and advantages are computed on different rollouts or batches}}
  %l = rlg.ppo_clip_loss %lp2, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl_loss' op estimator must be k1, k2 or k3, got "k0"}}
  %l = rlg.kl_loss %ref {estimator = "k0"} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %kl = rlg.kl %lp, %ref {estimator = "k1"} : !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl_loss' op 'ref_lp' must be log-probs from rlg.logprob, got scores from rlg.kl}}
  %l = rlg.kl_loss %kl {estimator = "k3"} : !rlg.token_scores<4 x 2>
}

// -----

// ODS: kl_loss reads token log-probs.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.kl_loss' op operand #0 must be one number per response token, but got '!rlg.seq_scores<4 x 2>'}}
  %l = "rlg.kl_loss"(%r) {estimator = "k3"} : (!rlg.seq_scores<4 x 2>) -> !rlg.loss
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %ret = rlg.returns %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.value_loss' op clip must be positive, got 0.000000e+00}}
  %l = rlg.value_loss %v, %ret {clip = 0.0 : f64} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %ret = rlg.returns %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.value_loss' op 'old_values' must be values from rlg.value, got scores from rlg.logprob}}
  %l = rlg.value_loss %lp, %ret {clip = 2.0e-01 : f64} : !rlg.token_scores<4 x 2>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %v2 = rlg.value @critic(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %ret = rlg.returns %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.value_loss' op values and returns are computed on different rollouts or batches}}
  %l = rlg.value_loss %v2, %ret {clip = 2.0e-01 : f64} : !rlg.token_scores<4 x 2>
}

// -----

// ODS: values and returns have one type.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %p1 = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %g = rlg.generate @actor(%p1) {n = 1 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  %w = rlg.value @critic(%g) : !rlg.rollouts<4 x 1> -> !rlg.token_scores<4 x 1>
  // expected-error @+1 {{'rlg.value_loss' op failed to verify that all of {old_values, returns} have same type}}
  %l = "rlg.value_loss"(%v, %w) {clip = 2.0e-01 : f64} : (!rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 1>) -> !rlg.loss
}

// -----

rlg.step @s {
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4>
  %flp = rlg.logprob @ref(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op 'dpo' needs pair scores, got '!rlg.seq_scores<4>'}}
  %l = rlg.preference_loss %flp {kind = "dpo", beta = 1.0e-01 : f64} : !rlg.seq_scores<4>
}

// -----

rlg.step @s {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  %plp = rlg.logprob @ref(%pairs) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op 'kto' needs sequence scores, got '!rlg.pair_scores<4>'}}
  %l = rlg.preference_loss %plp {kind = "kto", beta = 1.0e-01 : f64} : !rlg.pair_scores<4>
}

// -----

rlg.step @s {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  %plp = rlg.logprob @ref(%pairs) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op kind must be dpo, ipo or kto, got "orpo"}}
  %l = rlg.preference_loss %plp {kind = "orpo", beta = 1.0e-01 : f64} : !rlg.pair_scores<4>
}

// -----

rlg.step @s {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  %plp = rlg.logprob @ref(%pairs) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op beta must be positive, got 0.000000e+00}}
  %l = rlg.preference_loss %plp {kind = "ipo", beta = 0.0 : f64} : !rlg.pair_scores<4>
}

// -----

rlg.step @s {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  %plp = rlg.logprob @ref(%pairs) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op 'desirable_weight' belongs to 'kto', not 'dpo'}}
  %l = rlg.preference_loss %plp {kind = "dpo", beta = 1.0e-01 : f64, desirable_weight = 1.0 : f64} : !rlg.pair_scores<4>
}

// -----

rlg.step @s {
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4>
  %flp = rlg.logprob @ref(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op undesirable_weight must not be negative, got -1.000000e+00}}
  %l = rlg.preference_loss %flp {kind = "kto", beta = 1.0e-01 : f64, desirable_weight = 1.0 : f64, undesirable_weight = -1.0 : f64} : !rlg.seq_scores<4>
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.preference_loss' op 'ref_lp' must be log-probs from rlg.logprob, got scores from rlg.reward_apply}}
  %l = rlg.preference_loss %r {kind = "kto", beta = 1.0e-01 : f64} : !rlg.seq_scores<4 x 2>
}

// -----

rlg.step @s {
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %dlp = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4>
  // expected-error @+1 {{'rlg.preference_loss' op 'kto' needs log-probs of labeled completions, got log-probs of '!rlg.demos<4>'}}
  %l = rlg.preference_loss %dlp {kind = "kto", beta = 1.0e-01 : f64} : !rlg.seq_scores<4>
}

// -----

// ODS: sft reads demonstrations.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  // expected-error @+1 {{'rlg.sft_loss' op operand #0 must be a batch of demonstrations (prompt, response), but got '!rlg.rollouts<4 x 2>'}}
  %l = "rlg.sft_loss"(%ro) : (!rlg.rollouts<4 x 2>) -> !rlg.loss
}

// -----

// ODS: Bradley-Terry reads preference pairs.
rlg.step @s {
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %dlp = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4>
  // expected-error @+1 {{'rlg.bradley_terry_loss' op operand #0 must be a batch of preference pairs (prompt, chosen, rejected), but got '!rlg.demos<4>'}}
  %l = "rlg.bradley_terry_loss"(%d) : (!rlg.demos<4>) -> !rlg.loss
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %l2 = rlg.sft_loss %d : !rlg.demos<4>
  // expected-error @+1 {{'rlg.loss_add' op adds losses over different batches: 8 and 4 sequences}}
  %l = rlg.loss_add %l1, %l2
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ref2 = rlg.logprob @ref(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %l2 = rlg.kl_loss %ref2 {estimator = "k3"} : !rlg.token_scores<4 x 2>
  %l3 = rlg.loss_scale %l2 {factor = 1.0e-03 : f64}
  // expected-error @+1 {{'rlg.loss_add' op adds losses over two different rollouts}}
  %l = rlg.loss_add %l1, %l3
}

// -----

rlg.step @s {
  %e = rlg.entropy_loss
  // expected-error @+1 {{'rlg.loss_scale' op factor must be a finite number, got -INF}}
  %l = rlg.loss_scale %e {factor = 0xFFF0000000000000 : f64}
}

// -----

// ODS: only losses add up as losses.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // expected-error @+1 {{'rlg.loss_add' op operand #0 must be a loss to minimise, but got '!rlg.seq_scores<4 x 2>'}}
  %l = "rlg.loss_add"(%r, %r) : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2>) -> !rlg.loss
}

// -----

//===----------------------------------------------------------------------===//
// rlg.update
//===----------------------------------------------------------------------===//

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op unknown loss aggregation "sum"}}
  rlg.update @actor(%l) {agg = "sum", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op batch, minibatch, microbatch and epochs must be at least 1}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 0 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op mini-batch 3 does not divide the batch of 8}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 3 : i64, microbatch = 1 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op micro-batch 3 does not divide the mini-batch of 4}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 3 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %e = rlg.entropy_loss
  %l = rlg.loss_scale %e {factor = -1.0e-03 : f64}
  // expected-error @+1 {{'rlg.update' op trains on a loss that reads no batch; rlg.entropy_loss needs a term beside it}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op batch 16 does not match the 8 sequences its loss reads}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 16 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %l = rlg.ppo_clip_loss %ref, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op trains @actor with rlg.ppo_clip_loss on scores of @ref; they must come from the model being updated}}
  rlg.update @actor(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %lp, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  %k = rlg.kl_loss %lp {estimator = "k3"} : !rlg.token_scores<4 x 2>
  %sum = rlg.loss_add %l, %k
  // expected-error @+1 {{'rlg.update' op trains @actor with rlg.kl_loss whose reference log-probs come from @actor itself; use a frozen copy}}
  rlg.update @actor(%sum) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %k = rlg.kl_loss %ref {estimator = "k3"} : !rlg.token_scores<4 x 2>
  // expected-error @+1 {{'rlg.update' op names @policy, which is not a model}}
  rlg.update @policy(%k) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %l = rlg.ppo_clip_loss %ref, %adv {clip_low = 2.0e-01 : f64, clip_high = 2.8e-01 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // expected-error @+1 {{'rlg.update' op cannot update frozen model @ref}}
  rlg.update @ref(%l) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %l = rlg.sft_loss %d : !rlg.demos<4>
  // expected-error @+1 {{'rlg.update' op rlg.sft_loss trains a policy model, but @critic is a value model}}
  rlg.update @critic(%l) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

//===----------------------------------------------------------------------===//
// Planning ops
//===----------------------------------------------------------------------===//

rlg.step @s {
  // expected-error @+1 {{'rlg.reshard' op reshards to the placement it comes from}}
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.reshard' op names @policy, which is not a model}}
  rlg.reshard @policy {from = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>,
                       to = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
}

// -----

rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.transfer' op transfers to the mesh it comes from}}
  %t = rlg.transfer %p {from = #rlg.mesh<[0, 1]>, to = #rlg.mesh<[0, 1]>} : !rlg.prompts<4>
}

// -----

// ODS: a transfer moves a value unchanged.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.transfer' op failed to verify that all of {input, result} have same type}}
  %t = "rlg.transfer"(%p) {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : (!rlg.prompts<4>) -> !rlg.prompts<8>
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.offload' op names @critic2, which is not a model}}
  rlg.offload @critic2
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.onload' op names @train, which is not a model}}
  rlg.onload @train
}

// -----

rlg.step @s {
  // expected-error @+1 {{'rlg.weight_sync' op syncs a model into itself}}
  rlg.weight_sync @actor {target = @actor}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.weight_sync' op names @actor2, which is not a model}}
  rlg.weight_sync @actor2 {target = @actor}
}

// -----

rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.weight_sync' op names @actor2, which is not a model}}
  rlg.weight_sync @actor {target = @actor2}
}

// -----

rlg.model @small {role = "policy", layers = 1, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @actor {role = "policy", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", layers = 2, hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.step @s {
  // expected-error @+1 {{'rlg.weight_sync' op copies @actor into @small, which has a different shape (layers, hidden, ffn, heads, kv_heads, vocab)}}
  rlg.weight_sync @actor {target = @small}
}

// -----

// ODS: await takes a token.
rlg.step @s {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // expected-error @+1 {{'rlg.await' op operand #0 must be an ordering token for overlap, but got '!rlg.prompts<4>'}}
  "rlg.await"(%p) : (!rlg.prompts<4>) -> ()
}

// -----

// ODS: a required attribute is missing.
rlg.step @s {
  // expected-error @+1 {{'rlg.async' op requires attribute 'label'}}
  %t = "rlg.async"() : () -> !rlg.token
}
