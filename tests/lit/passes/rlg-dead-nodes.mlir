// rlg-dead-nodes removes every step op whose results reach no update or
// planning op; what feeds an effect stays, in its order.
// RUN: rlg-opt %s -split-input-file -rlg-dead-nodes | FileCheck %s

// An unused reference logprob goes.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @unused_call
// CHECK-NEXT:    %p = rlg.batch @train
// CHECK-NEXT:    %ro = rlg.generate @actor(%p)
// CHECK-NEXT:    %lp = rlg.logprob @actor(%ro)
// CHECK-NEXT:    %r = rlg.reward_apply @correct(%ro)
// CHECK-NEXT:    %adv = rlg.advantage "grpo"(%r)
// CHECK-NEXT:    %loss = rlg.ppo_clip_loss %lp, %adv
// CHECK-NEXT:    rlg.update @actor(%loss)
// CHECK-NEXT: {{^  }$}}
rlg.step @unused_call {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// An unused batch draws no examples.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @unused_batch
// CHECK-NEXT:    %d = rlg.batch @train {demos, size = 4 : i64}
// CHECK-NEXT:    %loss = rlg.sft_loss %d
// CHECK-NEXT:    rlg.update @actor(%loss)
// CHECK-NEXT: {{^  }$}}
rlg.step @unused_batch {
  %extra = rlg.batch @train {size = 8 : i64} : !rlg.prompts<8> loc("extra")
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// An unused generate samples nothing, and what only it fed goes with it.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @unused_generate
// CHECK-NOT:     greedy
// CHECK-NOT:     %rg =
// CHECK:         rlg.update @actor
rlg.step @unused_generate {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %g = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 0.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy} : !rlg.prompts<4> -> !rlg.rollouts<4 x 1> loc("g")
  %rg = rlg.reward_apply @correct(%g) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1> loc("rg")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %adv = rlg.advantage "rloo"(%r) : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// A chain of unused score arithmetic goes as a whole.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
// CHECK-LABEL: rlg.step @unused_chain
// CHECK-NOT:     rlg.kl
// CHECK-NOT:     rlg.scale
// CHECK-NOT:     rlg.add
// CHECK-NOT:     @ref
// CHECK:         rlg.update @actor
rlg.step @unused_chain {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
  %kl = rlg.kl %lp, %ref_lp {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("kl")
  %klw = rlg.scale %kl {factor = -0.05 : f64} : !rlg.token_scores<4 x 2> loc("klw")
  %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
  %rk = rlg.add %r, %klw : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("rk")
  %adv = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
  %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// A loss op that no update trains on goes.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @unused_loss
// CHECK-NOT:     rlg.entropy_loss
// CHECK:         rlg.update @actor
rlg.step @unused_loss {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %ent = rlg.entropy_loss loc("ent")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// Planning ops are effects: they and what they read stay, used or not.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK-LABEL: rlg.step @planning_ops
// CHECK-NEXT:    %d = rlg.batch @train
// CHECK-NEXT:    %moved = rlg.transfer %d
// CHECK-NEXT:    %loss = rlg.sft_loss %d
// CHECK-NEXT:    rlg.update @actor(%loss)
// CHECK-NEXT:    rlg.weight_sync @actor {target = @ref}
// CHECK-NEXT:    %t = rlg.async
// CHECK-NEXT:    rlg.await %t
// CHECK-NEXT:    rlg.offload @actor
// CHECK-NEXT: {{^  }$}}
rlg.step @planning_ops {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %moved = rlg.transfer %d {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.demos<4> loc("moved")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
  rlg.weight_sync @actor {target = @ref}
  %t = rlg.async {label = "generate.next"} : !rlg.token loc("t")
  rlg.await %t
  rlg.offload @actor
}

// -----

// A step whose every op feeds the update is left as it is.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// CHECK-LABEL: rlg.step @all_live
// CHECK-NEXT:    %pairs = rlg.batch @prefs
// CHECK-NEXT:    %ref_lp = rlg.logprob @ref(%pairs)
// CHECK-NEXT:    %loss = rlg.preference_loss %ref_lp
// CHECK-NEXT:    rlg.update @actor(%loss)
// CHECK-NEXT: {{^  }$}}
rlg.step @all_live {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Each step of a program is cleaned on its own.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @rm {role = "reward", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// CHECK-LABEL: rlg.step @warm
// CHECK-NEXT:    %d = rlg.batch @train
// CHECK-NEXT:    %loss = rlg.sft_loss %d
// CHECK-NEXT:    rlg.update @actor(%loss)
// CHECK-NEXT: {{^  }$}}
rlg.step @warm {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
// CHECK-LABEL: rlg.step @fit_rm
// CHECK-NEXT:    %pairs = rlg.batch @prefs
// CHECK-NEXT:    %loss = rlg.bradley_terry_loss %pairs
// CHECK-NEXT:    rlg.update @rm(%loss)
// CHECK-NEXT: {{^  }$}}
rlg.step @fit_rm {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4> loc("pairs")
  %more = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4> loc("more")
  %loss = rlg.bradley_terry_loss %pairs : !rlg.pairs<4> loc("loss")
  rlg.update @rm(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}

// -----

// A precomputed table that no step looks up goes; one that a step reads
// stays.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
rlg.data @feedback {kind = "labeled", source = "jsonl", args = {path = "data/feedback.jsonl", size = 16 : i64}}
// CHECK:       rlg.precompute @ref_logprob_prefs
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @tables
// CHECK-NEXT:    %pairs = rlg.batch @prefs
// CHECK-NEXT:    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs)
// CHECK-NEXT:    %loss = rlg.preference_loss %ref_lp
// CHECK-NEXT:    rlg.update @actor(%loss)
rlg.precompute @ref_logprob_prefs {model = @ref, call = "logprob", data = @prefs}
rlg.precompute @ref_logprob_feedback {model = @ref, call = "logprob", data = @feedback}
rlg.step @tables {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4> loc("fb")
  %unused = rlg.lookup @ref_logprob_feedback(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4> loc("unused")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
