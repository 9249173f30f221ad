// rlg-hoist-invariant turns a frozen model's logprob on data examples into
// an rlg.precompute table and an rlg.lookup, when the run draws at least
// as many examples as the source has (or always, with force=true).
// RUN: rlg-opt %s -split-input-file -rlg-hoist-invariant | FileCheck %s
// RUN: rlg-opt %s -split-input-file -rlg-hoist-invariant=force=true | FileCheck %s --check-prefix=FORCE

// DPO: the reference log-probabilities of each pair never change. 50 steps
// of 8 pairs draw 400 examples from a source of 16.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
// CHECK:       rlg.data @prefs
// CHECK-NEXT:  rlg.precompute @ref_logprob_prefs {call = "logprob", data = @prefs, model = @ref}
// CHECK-NEXT:  rlg.step @train_dpo {
// CHECK-NEXT:    %pairs = rlg.batch @prefs
// CHECK-NEXT:    %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
// CHECK-NEXT:    %loss = rlg.preference_loss %ref_lp
// FORCE:       rlg.precompute @ref_logprob_prefs
rlg.step @train_dpo {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @train_dpo, steps = 50 : i64}], seed = 1 : i64}

// -----

// A trained model's weights change every step: never hoisted.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @trained
// CHECK:         %lp = rlg.logprob @actor(%pairs)
// FORCE-NOT:   rlg.precompute
// FORCE-LABEL: rlg.step @trained
// FORCE:         %lp = rlg.logprob @actor(%pairs)
rlg.step @trained {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %lp = rlg.logprob @actor(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("lp")
  %loss = rlg.bradley_terry_loss %pairs : !rlg.pairs<8> loc("loss")
}
rlg.run {stages = [{step = @trained, steps = 50 : i64}], seed = 1 : i64}

// -----

// A frozen model's call on rollouts reads new samples every step: never
// hoisted.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 4 : i64}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @rollouts
// CHECK:         %ref_lp = rlg.logprob @ref(%ro)
// FORCE-NOT:   rlg.precompute
// FORCE-LABEL: rlg.step @rollouts
// FORCE:         %ref_lp = rlg.logprob @ref(%ro)
rlg.step @rollouts {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4> loc("p")
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
  %ref_lp = rlg.logprob @ref(%ro) : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
}
rlg.run {stages = [{step = @rollouts, steps = 100 : i64}], seed = 1 : i64}

// -----

// 10 steps of 8 pairs see 80 of 1000 examples: precomputing all 1000 costs
// more than it saves, unless forced.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 1000 : i64}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @short_run
// CHECK:         %ref_lp = rlg.logprob @ref(%pairs)
// FORCE:       rlg.precompute @ref_logprob_prefs
// FORCE-LABEL: rlg.step @short_run
// FORCE:         %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs)
rlg.step @short_run {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @short_run, steps = 10 : i64}], seed = 1 : i64}

// -----

// Drawing exactly as many examples as the source has pays.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 80 : i64}}
// CHECK:       rlg.precompute @ref_logprob_prefs
// CHECK-LABEL: rlg.step @exact
// CHECK:         rlg.lookup @ref_logprob_prefs(%pairs)
// FORCE-LABEL: rlg.step @exact
rlg.step @exact {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @exact, steps = 10 : i64}], seed = 1 : i64}

// -----

// A source without a size (a JSONL file the compiler has not counted) is
// not hoisted, unless forced.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @unknown_size
// CHECK:         rlg.logprob @ref(%pairs)
// FORCE:       rlg.precompute @ref_logprob_prefs
// FORCE-LABEL: rlg.step @unknown_size
// FORCE:         rlg.lookup @ref_logprob_prefs(%pairs)
rlg.step @unknown_size {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @unknown_size, steps = 1000 : i64}], seed = 1 : i64}

// -----

// Without a run block nothing is drawn, so nothing pays.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 8 : i64}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @no_run
// FORCE:       rlg.precompute @ref_logprob_prefs
// FORCE-LABEL: rlg.step @no_run
rlg.step @no_run {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}

// -----

// Every stage counts: 5 x 8 + 10 x 6 = 100 examples of a source of 100.
// Identical calls, in one step or in several, share one table.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 100 : i64}}
// CHECK:       rlg.precompute @ref_logprob_prefs
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @dpo
// CHECK:         %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8>
// CHECK:         %same = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<8>
// CHECK-LABEL: rlg.step @ipo
// CHECK:         %ref_lp = rlg.lookup @ref_logprob_prefs(%pairs) : !rlg.pairs<6>
// FORCE-LABEL: rlg.step @dpo
rlg.step @dpo {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %same = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("same")
  %l1 = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("l1")
  %l2 = rlg.preference_loss %same {kind = "ipo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("l2")
  %loss = rlg.loss_add %l1, %l2 loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.step @ipo {
  %pairs = rlg.batch @prefs {size = 6 : i64} : !rlg.pairs<6> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<6> -> !rlg.pair_scores<6> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "ipo", beta = 0.1 : f64} : !rlg.pair_scores<6> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 6 : i64, minibatch = 6 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @dpo, steps = 5 : i64}, {step = @ipo, steps = 10 : i64}], seed = 1 : i64}

// -----

// A task's .demos() examples get their own table, apart from its prompts;
// KTO's labeled completions work the same way.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 100 : i64}}
rlg.data @feedback {kind = "labeled", source = "jsonl", args = {path = "data/feedback.jsonl", size = 40 : i64}}
// CHECK:       rlg.precompute @ref_logprob_train_demos {call = "logprob", data = @train, demos, model = @ref}
// CHECK-NEXT:  rlg.precompute @ref_logprob_feedback {call = "logprob", data = @feedback, model = @ref}
// CHECK-LABEL: rlg.step @kto
// CHECK:         %d_lp = rlg.lookup @ref_logprob_train_demos(%d) : !rlg.demos<4> -> !rlg.seq_scores<4>
// CHECK:         %ref_lp = rlg.lookup @ref_logprob_feedback(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4>
// FORCE-LABEL: rlg.step @kto
rlg.step @kto {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %d_lp = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4> loc("d_lp")
  %fb = rlg.batch @feedback {size = 4 : i64} : !rlg.labeled<4> loc("fb")
  %ref_lp = rlg.logprob @ref(%fb) : !rlg.labeled<4> -> !rlg.seq_scores<4> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "kto", beta = 0.1 : f64} : !rlg.seq_scores<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @kto, steps = 25 : i64}], seed = 1 : i64}

// -----

// A frozen model that a weight sync refreshes changes during training.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
// CHECK-NOT:   rlg.precompute
// CHECK-LABEL: rlg.step @synced
// CHECK:         rlg.logprob @ref(%pairs)
// FORCE-NOT:   rlg.precompute
// FORCE-LABEL: rlg.step @synced
// FORCE:         rlg.logprob @ref(%pairs)
rlg.step @synced {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
  rlg.weight_sync @actor {target = @ref}
}
rlg.run {stages = [{step = @synced, steps = 50 : i64}], seed = 1 : i64}

// -----

// A table's name that is already taken gets a suffix.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl", size = 16 : i64}}
// CHECK:       rlg.precompute @[[TABLE:ref_logprob_prefs_[0-9]+]]
// CHECK-LABEL: rlg.step @ref_logprob_prefs
// CHECK:         rlg.lookup @[[TABLE]](%pairs)
rlg.step @ref_logprob_prefs {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8> loc("pairs")
  %ref_lp = rlg.logprob @ref(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8> loc("ref_lp")
  %loss = rlg.preference_loss %ref_lp {kind = "dpo", beta = 0.1 : f64} : !rlg.pair_scores<8> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64}
}
rlg.run {stages = [{step = @ref_logprob_prefs, steps = 50 : i64}], seed = 1 : i64}
