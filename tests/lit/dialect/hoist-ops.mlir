// rlg.precompute and rlg.lookup (inserted by rlg-hoist-invariant) parse,
// verify and print back the same.
// RUN: rlg-opt %s | rlg-opt | FileCheck %s

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 64 : i64}}
rlg.data @demos {kind = "demos", source = "jsonl", args = {path = "data/demos.jsonl"}}
rlg.data @feedback {kind = "labeled", source = "jsonl", args = {path = "data/feedback.jsonl"}}

// CHECK: rlg.precompute @ref_logprob_prefs {call = "logprob", data = @prefs, model = @ref}
rlg.precompute @ref_logprob_prefs {model = @ref, call = "logprob", data = @prefs}
// CHECK: rlg.precompute @ref_logprob_train_demos {call = "logprob", data = @train, demos, model = @ref}
rlg.precompute @ref_logprob_train_demos {model = @ref, call = "logprob", data = @train, demos}
// CHECK: rlg.precompute @ref_logprob_demos {call = "logprob", data = @demos, model = @ref}
rlg.precompute @ref_logprob_demos {model = @ref, call = "logprob", data = @demos}
// CHECK: rlg.precompute @ref_logprob_feedback {call = "logprob", data = @feedback, model = @ref}
rlg.precompute @ref_logprob_feedback {model = @ref, call = "logprob", data = @feedback}

// CHECK-LABEL: rlg.step @dpo
rlg.step @dpo {
  // CHECK: %[[PAIRS:.*]] = rlg.batch @prefs
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8>
  // CHECK: rlg.lookup @ref_logprob_prefs(%[[PAIRS]]) : !rlg.pairs<8> -> !rlg.pair_scores<8>
  %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// CHECK-LABEL: rlg.step @lookups
rlg.step @lookups {
  // CHECK: rlg.lookup @ref_logprob_train_demos({{.*}}) : !rlg.demos<4> -> !rlg.seq_scores<4>
  %td = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %a = rlg.lookup @ref_logprob_train_demos(%td) : !rlg.demos<4> -> !rlg.seq_scores<4>
  // CHECK: rlg.lookup @ref_logprob_demos({{.*}}) : !rlg.demos<2> -> !rlg.seq_scores<2>
  %d = rlg.batch @demos {size = 2 : i64} : !rlg.demos<2>
  %b = rlg.lookup @ref_logprob_demos(%d) : !rlg.demos<2> -> !rlg.seq_scores<2>
  // CHECK: rlg.lookup @ref_logprob_feedback({{.*}}) : !rlg.labeled<4> -> !rlg.seq_scores<4>
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4>
  %c = rlg.lookup @ref_logprob_feedback(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4>
  // A batch moved to another mesh is still the source's batch.
  // CHECK: rlg.lookup @ref_logprob_prefs({{.*}}) {rlg.placement = {{.*}}} : !rlg.pairs<2> -> !rlg.pair_scores<2>
  %pairs = rlg.batch @prefs {size = 2 : i64} : !rlg.pairs<2>
  %moved = rlg.transfer %pairs {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.pairs<2>
  %e = rlg.lookup @ref_logprob_prefs(%moved) {rlg.placement = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>} : !rlg.pairs<2> -> !rlg.pair_scores<2>
  %loss = rlg.sft_loss %d : !rlg.demos<2>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 2 : i64, minibatch = 2 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
