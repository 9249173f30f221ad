// rlg-merge-calls replaces a deterministic op by an earlier op with the
// same name, operands and attributes, when both read the same weights.
// RUN: rlg-opt %s -split-input-file -rlg-merge-calls | FileCheck %s

// Two reference logprobs of the same rollouts: the later one goes, and the
// earlier keeps its name (its location).
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @same_call
// CHECK:         %ref_lp = rlg.logprob @ref(%ro)
// CHECK-NOT:     rlg.logprob @ref
// CHECK:         rlg.kl %lp, %ref_lp
// CHECK:         rlg.kl_loss %ref_lp
rlg.step @same_call {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
  %again = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("again")
  %kl = rlg.kl %lp, %ref_lp {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("kl")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %rk = rlg.add %r, %kl : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("rk")
  %adv = rlg.advantage "reinforce_pp"(%rk) {gamma = 1.0 : f64} : (!rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("l1")
  %l2 = rlg.kl_loss %again {estimator = "k3"} : !rlg.token_scores<4 x 2> loc("l2")
  %loss = rlg.loss_add %l1, %l2 loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Merging a call makes its users identical, so they merge too.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @chain
// CHECK-NEXT:    %p = rlg.batch
// CHECK-NEXT:    %ro = rlg.generate
// CHECK-NEXT:    %lp = rlg.logprob @actor(%ro)
// CHECK-NEXT:    %ref1 = rlg.logprob @ref(%ro)
// CHECK-NEXT:    %kl1 = rlg.kl %lp, %ref1
// CHECK-NEXT:    %klw = rlg.scale %kl1
// CHECK-NEXT:    %sum = rlg.add %klw, %klw
// CHECK-NEXT:    %adv = rlg.advantage "reinforce_pp"(%sum)
rlg.step @chain {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref1 = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref1")
  %ref2 = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref2")
  %kl1 = rlg.kl %lp, %ref1 {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("kl1")
  %kl2 = rlg.kl %lp, %ref2 {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("kl2")
  %klw = rlg.scale %kl1 {factor = -0.05 : f64} : !rlg.token_scores<4 x 2> loc("klw")
  %klw2 = rlg.scale %kl2 {factor = -0.05 : f64} : !rlg.token_scores<4 x 2> loc("klw2")
  %sum = rlg.add %klw, %klw2 : !rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("sum")
  %adv = rlg.advantage "reinforce_pp"(%sum) {gamma = 1.0 : f64} : (!rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Two generates are two samples: never merged, nor what reads them.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @two_generates
// CHECK:         %ro = rlg.generate @actor(%p)
// CHECK:         %ro2 = rlg.generate @actor(%p)
// CHECK:         rlg.reward_apply @correct(%ro)
// CHECK:         rlg.reward_apply @correct(%ro2)
rlg.step @two_generates {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %ro2 = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro2")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %r2 = rlg.reward_apply @correct(%ro2) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r2")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Two batches are two draws: never merged.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @two_batches
// CHECK-NEXT:    %a = rlg.batch @train
// CHECK-NEXT:    %b = rlg.batch @train
// CHECK-NEXT:    %la = rlg.sft_loss %a
// CHECK-NEXT:    %lb = rlg.sft_loss %b
rlg.step @two_batches {
  %a = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("a")
  %b = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("b")
  %la = rlg.sft_loss %a : !rlg.demos<4> loc("la")
  %lb = rlg.sft_loss %b : !rlg.demos<4> loc("lb")
  %loss = rlg.loss_add %la, %lb loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// A call after an update of its model reads new weights: not merged.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @across_update
// CHECK:         %before = rlg.logprob @actor(%d)
// CHECK:         rlg.update @actor
// CHECK:         %after = rlg.logprob @actor(%d)
rlg.step @across_update {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %before = rlg.logprob @actor(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("before")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
  %after = rlg.logprob @actor(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("after")
  %t = rlg.transfer %after {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.seq_scores<4> loc("t")
}

// -----

// A weight sync into a model is a write too.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @across_sync
// CHECK:         %before = rlg.logprob @ref(%d)
// CHECK:         rlg.weight_sync @actor {target = @ref}
// CHECK:         %after = rlg.logprob @ref(%d)
rlg.step @across_sync {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %before = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("before")
  %t1 = rlg.transfer %before {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.seq_scores<4> loc("t1")
  rlg.weight_sync @actor {target = @ref}
  %after = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("after")
  %t2 = rlg.transfer %after {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.seq_scores<4> loc("t2")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// An update of another model leaves the weights of this one alone.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @other_model_updated
// CHECK:         %before = rlg.logprob @ref(%d)
// CHECK:         rlg.update @actor
// CHECK-NOT:     rlg.logprob
// CHECK:         rlg.transfer %before
rlg.step @other_model_updated {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %before = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("before")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
  %after = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("after")
  %t = rlg.transfer %after {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.seq_scores<4> loc("t")
}

// -----

// Different attributes or operands are different work.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.reward @fmt {kind = "rule", rule = "format", args = {pattern = "^[0-9]+$"}}
// CHECK-LABEL: rlg.step @different
// CHECK:         rlg.logprob @actor(%ro)
// CHECK:         rlg.logprob @ref(%ro)
// CHECK:         rlg.kl %lp, %ref_lp {estimator = "k1"}
// CHECK:         rlg.kl %lp, %ref_lp {estimator = "k3"}
// CHECK:         rlg.reward_apply @correct(%ro)
// CHECK:         rlg.reward_apply @fmt(%ro)
// CHECK:         rlg.scale %r {factor = 5.000000e-01 : f64}
// CHECK:         rlg.scale %r {factor = 2.500000e-01 : f64}
rlg.step @different {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
  %k1 = rlg.kl %lp, %ref_lp {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("k1")
  %k3 = rlg.kl %lp, %ref_lp {estimator = "k3"} : !rlg.token_scores<4 x 2> loc("k3")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %f = rlg.reward_apply @fmt(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("f")
  %half = rlg.scale %r {factor = 0.5 : f64} : !rlg.seq_scores<4 x 2> loc("half")
  %quarter = rlg.scale %r {factor = 0.25 : f64} : !rlg.seq_scores<4 x 2> loc("quarter")
  %rs = rlg.add %half, %quarter : !rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2> -> !rlg.seq_scores<4 x 2> loc("rs")
  %rf = rlg.add %rs, %f : !rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 2> -> !rlg.seq_scores<4 x 2> loc("rf")
  %kk = rlg.add %k1, %k3 : !rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("kk")
  %rk = rlg.add %rf, %kk : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("rk")
  %adv = rlg.advantage "reinforce_pp"(%rk) {gamma = 1.0 : f64} : (!rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// filter_dynamic without refill is a function of its inputs; with refill it
// samples more prompts.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @filters
// CHECK:         %kept = rlg.filter_dynamic %ro, %r :
// CHECK-NOT:     rlg.filter_dynamic %ro, %r :
// CHECK:         %full = rlg.filter_dynamic %ro, %r {refill}
// CHECK:         %full2 = rlg.filter_dynamic %ro, %r {refill}
rlg.step @filters {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %kept = rlg.filter_dynamic %ro, %r : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2> loc("kept")
  %kept2 = rlg.filter_dynamic %ro, %r : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2> loc("kept2")
  %full = rlg.filter_dynamic %ro, %r {refill} : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2> loc("full")
  %full2 = rlg.filter_dynamic %ro, %r {refill} : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2> loc("full2")
  %t1 = rlg.transfer %kept {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2> loc("t1")
  %t2 = rlg.transfer %kept2 {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2> loc("t2")
  %t3 = rlg.transfer %full {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2> loc("t3")
  %t4 = rlg.transfer %full2 {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2> loc("t4")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Loss ops merge inside one update's loss, not across two updates: each is
// evaluated with the weights of the model its update trains.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @student {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @losses
// CHECK:         %a = rlg.sft_loss %d
// CHECK-NEXT:    %sum = rlg.loss_add %a, %a
// CHECK-NEXT:    rlg.update @actor(%sum)
// CHECK-NEXT:    %c = rlg.sft_loss %d
// CHECK-NEXT:    rlg.update @student(%c)
rlg.step @losses {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %a = rlg.sft_loss %d : !rlg.demos<4> loc("a")
  %b = rlg.sft_loss %d : !rlg.demos<4> loc("b")
  %sum = rlg.loss_add %a, %b loc("sum")
  rlg.update @actor(%sum) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
  %c = rlg.sft_loss %d : !rlg.demos<4> loc("c")
  rlg.update @student(%c) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// Calls of one model on the same input in two steps are two steps' work.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// CHECK-LABEL: rlg.step @one
// CHECK:         rlg.logprob @ref
// CHECK-LABEL: rlg.step @two
// CHECK:         rlg.logprob @ref
rlg.step @one {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.step @two {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "ipo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
