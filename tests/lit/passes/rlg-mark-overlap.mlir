// rlg-mark-overlap marks the ops that the schedule's overlap mode concerns:
// streamed generation and the readers of its rollouts (through transfers),
// or the off-policy generation of a trained model.
// RUN: rlg-opt %s -split-input-file -rlg-mark-overlap -verify-diagnostics | FileCheck %s

#a = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#b = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  rlg.hints {colocate = [], layouts = {}, overlap = {mode = "stream", chunks = 2 : i64}}
  // CHECK-LABEL: rlg.step @stream
  // CHECK:         %ro = rlg.generate {{.*}}rlg.overlap = {chunks = 2 : i64, mode = "stream"}
  // CHECK:         %lp = rlg.logprob {{.*}}rlg.overlap = {chunks = 2 : i64, mode = "stream", of = "ro"}
  // CHECK:         %r = rlg.reward_apply {{.*}}rlg.overlap = {chunks = 2 : i64, mode = "stream", of = "ro"}
  // CHECK:         %adv = rlg.advantage
  // CHECK-NOT:     rlg.overlap
  // CHECK:         rlg.update
  rlg.step @stream {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #a} : !rlg.prompts<4> loc("p")
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #a} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #a} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
    %ro1 = rlg.transfer %ro {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2> loc("ro1")
    %r = rlg.reward_apply @correct(%ro1) {rlg.placement = #b} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #b} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
    %adv1 = rlg.transfer %adv {from = #rlg.mesh<[1]>, to = #rlg.mesh<[0]>} : !rlg.advantages<4 x 2> loc("adv1")
    %loss = rlg.ppo_clip_loss %lp, %adv1 {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #a}
  }
}

// -----

#a = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  rlg.hints {colocate = [], layouts = {}, overlap = {mode = "off_policy", staleness = 1 : i64}}
  // CHECK-LABEL: rlg.step @off_policy
  // CHECK:         rlg.generate {{.*}}rlg.overlap = {mode = "off_policy", staleness = 1 : i64}
  // CHECK-NOT:     rlg.overlap
  rlg.step @off_policy {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #a} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #a} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #a} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #a} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #a} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #a}
  }
}

// -----

// More pieces than prompts: an error at the hints.
#a = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // expected-error @below {{stream(chunks = 8) cuts the 4 prompts of 'ro' into more pieces than prompts}}
  // expected-note @below {{use chunks <= 4, or draw more prompts per step}}
  rlg.hints {colocate = [], layouts = {}, overlap = {mode = "stream", chunks = 8 : i64}}
  rlg.step @too_many {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #a} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #a} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #a} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #a} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #a} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #a}
  }
}
