// Verifier errors of rlg.precompute and rlg.lookup.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// expected-error @below {{precomputes a call of @actor, which is trained: only a frozen model's calls stay the same from step to step}}
rlg.precompute @t {model = @actor, call = "logprob", data = @prefs}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// expected-error @below {{only logprob calls are precomputed (score and value read rollouts, which change every step), got "score"}}
rlg.precompute @t {model = @ref, call = "score", data = @prefs}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
// expected-error @below {{names @nowhere, which is not a data source}}
rlg.precompute @t {model = @ref, call = "logprob", data = @nowhere}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// expected-error @below {{the prompts of @train have no responses to score}}
rlg.precompute @t {model = @ref, call = "logprob", data = @train}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
// expected-error @below {{demos of @prefs need a prompts source with answers}}
rlg.precompute @t {model = @ref, call = "logprob", data = @prefs, demos}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
rlg.step @s {
  // expected-error @below {{'rlg.precompute' op expects parent op 'builtin.module'}}
  rlg.precompute @t {model = @ref, call = "logprob", data = @prefs}
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
rlg.precompute @t {model = @ref, call = "logprob", data = @prefs}
rlg.step @s {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8>
  // expected-error @below {{result must be '!rlg.pair_scores<8>' for '!rlg.pairs<8>', got '!rlg.seq_scores<8>'}}
  %x = rlg.lookup @t(%pairs) : !rlg.pairs<8> -> !rlg.seq_scores<8>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.precompute @t {model = @ref, call = "logprob", data = @train, demos}
rlg.step @s {
  %p = rlg.batch @train {size = 8 : i64} : !rlg.prompts<8>
  // expected-error @below {{reads examples with responses (pairs, demos or labeled), got '!rlg.prompts<8>'}}
  %x = rlg.lookup @t(%p) : !rlg.prompts<8> -> !rlg.seq_scores<8>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
rlg.step @s {
  %pairs = rlg.batch @prefs {size = 8 : i64} : !rlg.pairs<8>
  // expected-error @below {{names @actor, which is not an rlg.precompute table}}
  %x = rlg.lookup @actor(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
rlg.data @other {kind = "pairs", source = "jsonl", args = {path = "data/other.jsonl"}}
rlg.precompute @t {model = @ref, call = "logprob", data = @prefs}
rlg.step @s {
  %pairs = rlg.batch @other {size = 8 : i64} : !rlg.pairs<8>
  // expected-error @below {{reads rows of @t, so its examples must be drawn by rlg.batch @prefs}}
  %x = rlg.lookup @t(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
rlg.precompute @t {model = @ref, call = "logprob", data = @train, demos}
rlg.step @s {
  %d = rlg.batch @train {size = 8 : i64} : !rlg.prompts<8>
  %td = rlg.batch @train {size = 8 : i64, demos} : !rlg.demos<8>
  %ok = rlg.lookup @t(%td) : !rlg.demos<8> -> !rlg.seq_scores<8>
}

// -----

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
rlg.data @prefs {kind = "pairs", source = "jsonl", args = {path = "data/prefs.jsonl"}}
rlg.precompute @t {model = @ref, call = "logprob", data = @prefs}
func.func @f(%pairs: !rlg.pairs<8>) {
  // expected-error @below {{'rlg.lookup' op expects parent op 'rlg.step'}}
  %x = rlg.lookup @t(%pairs) : !rlg.pairs<8> -> !rlg.pair_scores<8>
  return
}
