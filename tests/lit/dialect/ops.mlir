// Every rlg op, type and attribute parses, verifies and prints back the same.
// RUN: rlg-opt %s | rlg-opt | FileCheck %s

// CHECK-LABEL: rlg.model @actor
// CHECK-SAME: role = "policy"
rlg.model @actor {role = "policy", preset = "tiny", layers = 2, hidden = 64,
                  ffn = 176, heads = 4, kv_heads = 2, vocab = 64,
                  tie_embeddings, optimizer = {lr = 1.0e-04 : f64}}
// CHECK: rlg.model @ref {{{.*}}frozen,{{.*}}source = @actor
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 2,
                hidden = 64, ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
rlg.model @critic {role = "value", layers = 2, hidden = 64, ffn = 176,
                   heads = 4, kv_heads = 2, vocab = 64}
rlg.model @rm {role = "reward", init_from = @actor, layers = 2, hidden = 64,
               ffn = 176, heads = 4, kv_heads = 2, vocab = 64}
// CHECK: rlg.data @train {answers, args = {digits = 2 : i64}, kind = "prompts", source = "task.arith"}
rlg.data @train {kind = "prompts", source = "task.arith", answers,
                 args = {digits = 2 : i64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "p.jsonl"}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "d.jsonl"}}
rlg.data @feedback {kind = "labeled", source = "jsonl", args = {path = "f.jsonl"}}
// CHECK: rlg.reward @correct {args = {}, kind = "rule", rule = "exact_match"}
rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
rlg.reward @prefer {kind = "model", model = @rm}
// CHECK: rlg.reward @total {kind = "sum", terms = [@correct, @prefer], weights = [1.000000e+00, 5.000000e-01]}
rlg.reward @total {kind = "sum", terms = [@correct, @prefer], weights = [1.0, 0.5]}

// CHECK-LABEL: rlg.step @ppo
rlg.step @ppo {
  // CHECK: %[[P:.*]] = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  // CHECK: rlg.generate @actor(%[[P]]) {{.*}} : <4> -> <4 x 2>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64,
      temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64,
      rlg.placement = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %g = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64,
      temperature = 0.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy}
      : !rlg.prompts<4> -> !rlg.rollouts<4 x 1>
  // CHECK: rlg.logprob @actor({{.*}}) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  %ref = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // CHECK: rlg.value @critic
  %v = rlg.value @critic(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  // CHECK: rlg.score @rm
  %s = rlg.score @rm(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  // CHECK: rlg.reward_apply @total
  %r = rlg.reward_apply @total(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
  %rg = rlg.reward_apply @correct(%g) : !rlg.rollouts<4 x 1> -> !rlg.seq_scores<4 x 1>
  // CHECK: rlg.kl {{.*}} {estimator = "k1"} : <4 x 2>
  %kl = rlg.kl %lp, %ref {estimator = "k1"} : !rlg.token_scores<4 x 2>
  // CHECK: rlg.scale {{.*}} {factor = -5.000000e-02 : f64} : !rlg.token_scores<4 x 2>
  %klw = rlg.scale %kl {factor = -0.05 : f64} : !rlg.token_scores<4 x 2>
  // CHECK: rlg.add {{.*}} : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2>
  %rk = rlg.add %r, %klw : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2>
  // CHECK: rlg.advantage "gae"
  %adv = rlg.advantage "gae"(%rk, %v) {gamma = 1.0 : f64, lam = 0.95 : f64}
      : (!rlg.token_scores<4 x 2>, !rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %a2 = rlg.advantage "grpo"(%r) {std_norm = true} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %a3 = rlg.advantage "rloo"(%r) : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %a4 = rlg.advantage "reinforce_pp"(%rk) {gamma = 1.0 : f64} : (!rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2>
  %a5 = rlg.advantage "remax"(%r, %rg) : (!rlg.seq_scores<4 x 2>, !rlg.seq_scores<4 x 1>) -> !rlg.advantages<4 x 2>
  // CHECK: rlg.add {{.*}} : !rlg.advantages<4 x 2>, !rlg.advantages<4 x 2> -> !rlg.advantages<4 x 2>
  %a6 = rlg.add %a2, %a3 : !rlg.advantages<4 x 2>, !rlg.advantages<4 x 2> -> !rlg.advantages<4 x 2>
  // CHECK: rlg.returns
  %ret = rlg.returns %adv, %v : !rlg.advantages<4 x 2>, !rlg.token_scores<4 x 2>
  // CHECK: rlg.filter_dynamic {{.*}} {refill}
  %kept = rlg.filter_dynamic %ro, %r {refill} : !rlg.rollouts<4 x 2>, !rlg.seq_scores<4 x 2>
  // CHECK: rlg.ppo_clip_loss
  %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.28 : f64,
      dual_clip = 3.0 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
  // CHECK: rlg.kl_loss
  %l2 = rlg.kl_loss %ref {estimator = "k3"} : !rlg.token_scores<4 x 2>
  // CHECK: rlg.entropy_loss
  %l3 = rlg.entropy_loss
  // CHECK: rlg.loss_scale
  %l4 = rlg.loss_scale %l2 {factor = 0.001 : f64}
  // CHECK: rlg.loss_add
  %l5 = rlg.loss_add %l1, %l4
  %l6 = rlg.loss_add %l5, %l3
  // CHECK: rlg.update @actor
  rlg.update @actor(%l6) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64,
                          microbatch = 2 : i64, epochs = 1 : i64}
  // CHECK: rlg.value_loss
  %vl = rlg.value_loss %v, %ret {clip = 0.2 : f64} : !rlg.token_scores<4 x 2>
  rlg.update @critic(%vl) {agg = "token-mean", batch = 8 : i64, minibatch = 8 : i64,
                           microbatch = 8 : i64, epochs = 1 : i64}
  // CHECK: rlg.reshard @actor
  rlg.reshard @actor {from = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>,
                      to = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 1, tp = 2, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
  // CHECK: rlg.transfer {{.*}} {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2>
  %moved = rlg.transfer %ro {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2>
  // CHECK: rlg.offload @critic
  rlg.offload @critic
  // CHECK: rlg.onload @critic
  rlg.onload @critic
  // CHECK: rlg.weight_sync @actor {target = @rm}
  rlg.weight_sync @actor {target = @rm}
  // CHECK: %[[T:.*]] = rlg.async {label = "generate.next"} : !rlg.token
  %t = rlg.async {label = "generate.next"} : !rlg.token
  // CHECK: rlg.await %[[T]]
  rlg.await %t
}

// CHECK-LABEL: rlg.step @offline
rlg.step @offline {
  %pairs = rlg.batch @prefs {size = 4 : i64} : !rlg.pairs<4>
  // CHECK: rlg.logprob @ref({{.*}}) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  %plp = rlg.logprob @ref(%pairs) : !rlg.pairs<4> -> !rlg.pair_scores<4>
  // CHECK: rlg.preference_loss {{.*}} {beta = 1.000000e-01 : f64, kind = "dpo"} : !rlg.pair_scores<4>
  %dpo = rlg.preference_loss %plp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<4>
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4>
  %flp = rlg.logprob @ref(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4>
  %kto = rlg.preference_loss %flp {kind = "kto", beta = 0.1 : f64, desirable_weight = 1.0 : f64} : !rlg.seq_scores<4>
  // CHECK: rlg.sft_loss {{.*}} : <4>
  %d = rlg.batch @demos {size = 4 : i64} : !rlg.demos<4>
  %sft = rlg.sft_loss %d : !rlg.demos<4>
  %td = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  // CHECK: rlg.bradley_terry_loss {{.*}} : <4>
  %bt = rlg.bradley_terry_loss %pairs : !rlg.pairs<4>
  %sum = rlg.loss_add %dpo, %sft
  rlg.update @actor(%sum) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64,
                           microbatch = 4 : i64, epochs = 1 : i64}
  rlg.update @rm(%bt) {agg = "token-mean", batch = 4 : i64, minibatch = 2 : i64,
                       microbatch = 1 : i64, epochs = 2 : i64}
}

// CHECK: rlg.hints
rlg.hints {colocate = [[@actor, @ref]], layouts = {"actor.generate" = {tp = 2 : i64}},
           overlap = {mode = "stream", chunks = 4 : i64}}
// CHECK: rlg.eval @train {every = 20 : i64, k = 4 : i64, model = @actor, temperature = 6.000000e-01 : f64}
rlg.eval @train {model = @actor, every = 20 : i64, k = 4 : i64, temperature = 0.6 : f64}
// CHECK: rlg.run {{{.*}}stages = [{step = @ppo, steps = 10 : i64}, {step = @offline, steps = 5 : i64}]}
rlg.run {stages = [{step = @ppo, steps = 10 : i64}, {step = @offline, steps = 5 : i64}],
         seed = 1 : i64, checkpoint = {every = 5 : i64, dir = "ckpt"}}
