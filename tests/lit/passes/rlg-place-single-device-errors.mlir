// A schedule that pins several devices cannot be placed on one.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics -rlg-place-single-device

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.step @warm {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %loss = rlg.sft_loss %d : !rlg.demos<4>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
// expected-error @below {{schedule pins actor.update { dp = 4 }, which needs 4 devices; the single-device strategy places everything on 1 device}}
// expected-note @below {{remove the pin of actor.update, or plan for a cluster with `rlg plan --cluster FILE`}}
rlg.hints {colocate = [], layouts = {"actor.update" = {dp = 4 : i64, zero = 2 : i64}}, overlap = {mode = "none"}}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.step @gen {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %loss = rlg.sft_loss %d : !rlg.demos<4>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
// Tensor and pipeline degrees multiply.
// expected-error @below {{schedule pins actor.generate { tp = 2, pp = 2 }, which needs 4 devices}}
// expected-note @below {{remove the pin of actor.generate}}
rlg.hints {colocate = [], layouts = {"actor.generate" = {tp = 2 : i64, pp = 2 : i64, dp = 1 : i64}}, overlap = {mode = "none"}}

// -----

// Every such pin is reported.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.step @gen {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4>
  %loss = rlg.sft_loss %d : !rlg.demos<4>
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
// expected-error @below {{schedule pins actor.generate { tp = 2 }, which needs 2 devices}}
// expected-note @below {{remove the pin of actor.generate}}
// expected-error @below {{schedule pins actor.update { dp = 2 }, which needs 2 devices}}
// expected-note @below {{remove the pin of actor.update}}
rlg.hints {colocate = [], layouts = {"actor.generate" = {tp = 2 : i64}, "actor.update" = {dp = 2 : i64}}, overlap = {mode = "none"}}
