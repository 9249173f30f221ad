// rlg-place-single-device puts every placeable op on device 0 with
// dp = tp = pp = 1, keeping the schedule's other pinned layout keys.
// RUN: rlg-opt %s -split-input-file -rlg-place-single-device | FileCheck %s
// RUN: rlg-opt %s -split-input-file -rlg-place-single-device=device-kind=cuda | FileCheck %s --check-prefix=CUDA

// Every op of a step but losses gets the trivial placement; an update's
// micro-batch is its own.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK:       module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}}
// CHECK-LABEL: rlg.step @grpo
// CHECK-NEXT:    %p = rlg.batch @train {rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>, size = 4 : i64}
// CHECK-NEXT:    %ro = rlg.generate @actor(%p) {{{.*}}rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
// CHECK-NEXT:    %lp = rlg.logprob @actor(%ro) {rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
// CHECK-NEXT:    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
// CHECK-NEXT:    %adv = rlg.advantage "grpo"(%r) {rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
// CHECK-NEXT:    %loss = rlg.ppo_clip_loss %lp, %adv {clip_high = {{.*}}, clip_low = {{[^,]*}}} :
// CHECK-NEXT:    rlg.update @actor(%loss) {{{.*}}rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>}
// CUDA:        module attributes {rlg.devices = {count = 1 : i64, kind = "cuda"}}
rlg.step @grpo {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Pinned zero, micro-batch, checkpointing and offload are kept, for the
// pinned MODEL.CALL only; a pin of dp = tp = pp = 1 fits one device.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @pinned
// CHECK:         %ro = rlg.generate {{.*}}layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>
// CHECK-NEXT:    %lp = rlg.logprob @actor{{.*}}layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 4, checkpointing = false, offload = false>
// CHECK-NEXT:    %ref_lp = rlg.logprob @ref{{.*}}layout = <dp = 1, tp = 1, pp = 1, zero = 3, microbatch = 0, checkpointing = false, offload = true>
// CHECK:         rlg.update @actor{{.*}}layout = <dp = 1, tp = 1, pp = 1, zero = 2, microbatch = 1, checkpointing = true, offload = false>
rlg.step @pinned {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("l1")
  %l2 = rlg.kl_loss %ref_lp {estimator = "k3"} : !rlg.token_scores<4 x 2> loc("l2")
  %loss = rlg.loss_add %l1, %l2 loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.hints {colocate = [[@actor, @ref]],
           layouts = {"actor.generate" = {tp = 1 : i64},
                      "actor.logprob" = {microbatch = 4 : i64},
                      "ref.logprob" = {zero = 3 : i64, offload = true},
                      "actor.update" = {dp = 1 : i64, zero = 2 : i64, microbatch = 1 : i64, checkpointing = true, offload = false}},
           overlap = {mode = "none"}}

// -----

// Planning ops are not placed; lookups are. An existing plan is replaced.
// CHECK:       module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}}
// CHECK-NOT:   rlg.placement
// CHECK-LABEL: rlg.step @dpo
// CHECK-NEXT:    %pairs = rlg.batch @prefs {rlg.placement = #rlg.placement<mesh = <[0]>
// CHECK-NEXT:    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) {rlg.placement = #rlg.placement<mesh = <[0]>
// CHECK-NEXT:    %loss = rlg.preference_loss %ref_lp {beta = {{.*}}, kind = "dpo"} :
// CHECK-NEXT:    rlg.update @actor(%loss) {{{.*}}rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2,
// CHECK-NEXT:    rlg.offload @actor{{$}}
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
  rlg.precompute @ref_logprob_prefs {model = @ref, call = "logprob", data = @prefs}
  rlg.step @dpo {
    %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
    %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>}
    rlg.offload @actor
  }
}
