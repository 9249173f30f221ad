// The whole pipeline on a three-stage program: dead nodes go, repeated work
// merges, DPO's reference log-probabilities are precomputed, then every op
// is placed on one device and the plan checked.
// RUN: rlg-opt %s -rlg-pipeline | FileCheck %s
// RUN: rlg-opt %s "-rlg-pipeline=device-kind=cuda force-hoist=true" | FileCheck %s --check-prefix=OPTS
// RUN: rlg-opt %s -rlg-dead-nodes -rlg-merge-calls -rlg-hoist-invariant -rlg-dead-nodes -rlg-place-single-device -rlg-verify-placement > %t.passes
// RUN: rlg-opt %s -rlg-pipeline > %t.pipeline
// RUN: diff %t.passes %t.pipeline

// CHECK:       module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}, rlg.program = "mixed", rlg.source = "programs/mixed.rlg"}
// OPTS:        module attributes {rlg.devices = {count = 1 : i64, kind = "cuda"}
module attributes {rlg.source = "programs/mixed.rlg", rlg.program = "mixed"} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}} loc("actor")
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16} loc("ref")
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}} loc("train")
  rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 64 : i64}} loc("prefs")
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}} loc("correct")

  // Warm-up: an unused prompt batch goes.
  // CHECK:       rlg.precompute @ref_logprob_prefs {call = "logprob", data = @prefs, model = @ref}
  // CHECK-LABEL: rlg.step @warm
  // CHECK-NEXT:    %d = rlg.batch @train {demos, rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>, size = 4 : i64}
  // CHECK-NEXT:    %loss = rlg.sft_loss %d :
  // CHECK-NEXT:    rlg.update @actor(%loss) {{{.*}}rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 2, microbatch = 4, checkpointing = true, offload = false>>}
  // CHECK-NEXT: {{^  }$}}
  rlg.step @warm {
    %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
    %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
    %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
    rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64} loc("update")
  } loc("warm")

  // DPO: the frozen reference's log-probabilities of each pair are looked up.
  // CHECK-LABEL: rlg.step @dpo
  // CHECK-NEXT:    %pairs = rlg.batch @prefs {rlg.placement = {{.*}}}
  // CHECK-NEXT:    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) {rlg.placement = {{.*}}} : !rlg.pairs<8> -> !rlg.pair_scores<8>
  // CHECK-NEXT:    %loss = rlg.preference_loss %ref_lp
  // CHECK-NEXT:    rlg.update @actor(%loss)
  // CHECK-NEXT: {{^  }$}}
  rlg.step @dpo {
    %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
    %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
    %again = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("again")
    %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64} loc("update")
  } loc("dpo")

  // REINFORCE++ with KL in the reward and in the loss: the repeated
  // reference logprob merges, the greedy sample nobody reads goes, the
  // reference call on rollouts stays in the step.
  // CHECK-LABEL: rlg.step @grpo
  // CHECK-NEXT:    %p = rlg.batch @train
  // CHECK-NEXT:    %ro = rlg.generate @actor(%p)
  // CHECK-NEXT:    %lp = rlg.logprob @actor(%ro)
  // CHECK-NEXT:    %ref_lp = rlg.logprob @ref(%ro)
  // CHECK-NEXT:    %r = rlg.reward_apply @correct(%ro)
  // CHECK-NEXT:    %k = rlg.kl %lp, %ref_lp
  // CHECK-NEXT:    %kw = rlg.scale %k
  // CHECK-NEXT:    %rk = rlg.add %r, %kw
  // CHECK-NEXT:    %adv = rlg.advantage "reinforce_pp"(%rk)
  // CHECK-NEXT:    %clip = rlg.ppo_clip_loss %lp, %adv
  // CHECK-NEXT:    %kl = rlg.kl_loss %ref_lp
  // CHECK-NEXT:    %loss = rlg.loss_add %clip, %kl
  // CHECK-NEXT:    rlg.update @actor(%loss)
  // CHECK-NEXT: {{^  }$}}
  rlg.step @grpo {
    %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
    %g = rlg.generate @actor(%p) {n = 1 : i64, max_tokens = 8 : i64, temperature = 0.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, greedy} : !rlg.prompts<4> -> !rlg.rollouts<4 x 1> loc("g")
    %lp = rlg.logprob @actor(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
    %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
    %ref_lp2 = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp2")
    %r = rlg.reward_apply @correct(%ro) : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
    %k = rlg.kl %lp, %ref_lp2 {estimator = "k1"} : !rlg.token_scores<4 x 2> loc("k")
    %kw = rlg.scale %k {factor = -0.05 : f64} : !rlg.token_scores<4 x 2> loc("kw")
    %rk = rlg.add %r, %kw : !rlg.seq_scores<4 x 2>, !rlg.token_scores<4 x 2> -> !rlg.token_scores<4 x 2> loc("rk")
    %adv = rlg.advantage "reinforce_pp"(%rk) {gamma = 1.0 : f64} : (!rlg.token_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
    %clip = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.28 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("clip")
    %kl = rlg.kl_loss %ref_lp {estimator = "k3"} : !rlg.token_scores<4 x 2> loc("kl")
    %loss = rlg.loss_add %clip, %kl loc("loss")
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 8 : i64, microbatch = 4 : i64, epochs = 1 : i64} loc("update")
  } loc("grpo")

  rlg.hints {colocate = [[@actor, @ref]], layouts = {"actor.update" = {zero = 2 : i64, checkpointing = true}}, overlap = {mode = "none"}} loc("schedule")
  rlg.run {stages = [{step = @warm, steps = 10 : i64}, {step = @dpo, steps = 20 : i64}, {step = @grpo, steps = 50 : i64}], seed = 1 : i64} loc("run")
}
