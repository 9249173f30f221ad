// The pipeline stops at the first phase that finds a mistake.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics -rlg-pipeline

// Canonicalisation: a step that trains nothing.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// expected-error @below {{step @sample updates no model, so every node is dead}}
// expected-note @below {{remove the step}}
rlg.step @sample {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
}

// -----

// Placement: a pin that needs more than one device.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.step @warm {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %loss = rlg.sft_loss %d : !rlg.demos<4>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
// expected-error @below {{schedule pins actor.update { dp = 4 }, which needs 4 devices; the single-device strategy places everything on 1 device}}
// expected-note @below {{plan for a cluster with `rlg plan --cluster FILE`}}
rlg.hints {colocate = [], layouts = {"actor.update" = {dp = 4 : i64}}, overlap = {mode = "none"}}

// -----

// Placement check: a pinned micro-batch that does not divide the update's
// mini-batch on one device.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.step @warm {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %loss = rlg.sft_loss %d : !rlg.demos<4>
  // expected-error @below {{micro-batch 3 on each of 1 replica does not divide the mini-batch of 4}}
  // expected-note @below {{choose a micro-batch}}
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
rlg.hints {colocate = [], layouts = {"actor.update" = {microbatch = 3 : i64}}, overlap = {mode = "none"}}
