// A step that trains nothing has no effect: rlg-dead-nodes reports it
// instead of emptying it.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics -rlg-dead-nodes

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// expected-error @below {{step @sample updates no model, so every node is dead}}
// expected-note @below {{add an `update MODEL { loss = ... }` block to the step, or remove the step}}
rlg.step @sample {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
  %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
// expected-error @below {{step @empty updates no model, so every node is dead}}
// expected-note @below {{add an `update MODEL { loss = ... }` block}}
rlg.step @empty {
}

// -----

// Planning ops alone train nothing either.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
// expected-error @below {{step @only_moves updates no model}}
// expected-note @below {{remove the step}}
rlg.step @only_moves {
  rlg.offload @actor
  rlg.onload @actor
}

// -----

// Every such step is reported, not just the first.
rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// expected-error @below {{step @first updates no model}}
// expected-note @below {{remove the step}}
rlg.step @first {
  %p = rlg.batch @train {size = 4 : i64} : !rlg.prompts<4>
}
// expected-error @below {{step @second updates no model}}
// expected-note @below {{remove the step}}
rlg.step @second {
  %p = rlg.batch @train {size = 2 : i64} : !rlg.prompts<2>
}
