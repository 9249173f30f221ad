// rlg-verify-placement reports each inconsistency of a plan at the op
// concerned, with a hint.
// RUN: rlg-opt %s -split-input-file -verify-diagnostics -rlg-verify-placement

// A module no strategy has placed.
// expected-error @below {{the module has no rlg.devices, so it is not placed}}
// expected-note @below {{run a placement strategy first, e.g. rlg-place-single-device}}
module {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
}

// -----

// An op the strategy skipped.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #p0} : !rlg.demos<4>
    // expected-error @below {{'rlg.logprob' has no rlg.placement}}
    // expected-note @below {{every op of a step but losses and planning ops needs one; run a placement strategy, e.g. rlg-place-single-device}}
    %lp = rlg.logprob @ref(%d) : !rlg.demos<4> -> !rlg.seq_scores<4>
  }
}

// -----

// A mesh beyond the planned devices.
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    // expected-error @below {{runs on device 1, but the module plans for 1 device}}
    // expected-note @below {{use ranks 0 to 0, or raise the count in rlg.devices}}
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #p1} : !rlg.demos<4>
  }
}

// -----

// Transfers and reshards stay on the planned devices too.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #p0} : !rlg.demos<4>
    // expected-error @below {{runs on device 2, but the module plans for 2 devices}}
    // expected-note @below {{use ranks 0 to 1}}
    %far = rlg.transfer %d {from = #rlg.mesh<[0]>, to = #rlg.mesh<[2]>} : !rlg.demos<4>
    // expected-error @below {{runs on device 5, but the module plans for 2 devices}}
    // expected-note @below {{use ranks 0 to 1}}
    rlg.reshard @actor {from = #p1, to = #rlg.placement<mesh = #rlg.mesh<[5]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>}
  }
}

// -----

// Three replicas cannot share 4 prompts.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p3 = #rlg.placement<mesh = #rlg.mesh<[0, 1, 2]>, layout = #rlg.layout<dp = 3, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 3 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %p3 = rlg.transfer %p {from = #rlg.mesh<[0]>, to = #rlg.mesh<[0, 1, 2]>} : !rlg.prompts<4>
    // expected-error @below {{dp = 3 does not divide the batch of 4}}
    // expected-note @below {{choose a dp that divides 4}}
    %ro = rlg.generate @actor(%p3) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p3} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  }
}

// -----

// Two replicas of micro-batch 4 are 8 sequences, more than a mini-batch.
#d2 = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#u2 = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 4, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #d2} : !rlg.demos<4>
    %loss = rlg.sft_loss %d : !rlg.demos<4>
    // expected-error @below {{micro-batch 4 on each of 2 replicas does not divide the mini-batch of 4}}
    // expected-note @below {{choose a micro-batch such that micro-batch x dp divides 4}}
    rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #u2}
  }
}

// -----

// A pinned layout key that the plan changed.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#u0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #p0} : !rlg.demos<4>
    %loss = rlg.sft_loss %d : !rlg.demos<4>
    // expected-error @below {{layout has zero = 0, but the schedule pins actor.update { zero = 2 }}}
    // expected-note @below {{keep the pinned value, or change the schedule block}}
    rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #u0}
  }
  rlg.hints {colocate = [], layouts = {"actor.update" = {zero = 2 : i64, microbatch = 2 : i64}}, overlap = {mode = "none"}}
}

// -----

// A pinned flag that the plan changed.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    // expected-error @below {{layout has offload = false, but the schedule pins actor.generate { offload = true }}}
    // expected-note @below {{keep the pinned value}}
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
  }
  rlg.hints {colocate = [], layouts = {"actor.generate" = {offload = true}}, overlap = {mode = "none"}}
}

// -----

// Colocated models on two meshes.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %ro1 = rlg.transfer %ro {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2>
    // expected-error @below {{@ref is colocated with @actor, but this call runs on mesh [1] and actor.generate on mesh [0]}}
    // expected-note @below {{run every call of a colocate group on one mesh, or change the schedule's colocate(...)}}
    %ref_lp = rlg.logprob @ref(%ro1) {rlg.placement = #p1} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  }
  rlg.hints {colocate = [[@actor, @ref]], layouts = {}, overlap = {mode = "none"}}
}

// -----

// A value read on another mesh without a transfer.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
    // expected-error @below {{reads 'ro' from mesh [0] but runs on mesh [1]}}
    // expected-note @below {{insert an rlg.transfer of it from [0] to [1]}}
    %ref_lp = rlg.logprob @ref(%ro) {rlg.placement = #p1} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  }
}

// -----

// A transfer that starts on the wrong mesh.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 3 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4> loc("p")
    // expected-error @below {{transfers 'p' from mesh [1], but it is on mesh [0]}}
    // expected-note @below {{set the transfer's `from` to [0]}}
    %moved = rlg.transfer %p {from = #rlg.mesh<[1]>, to = #rlg.mesh<[2]>} : !rlg.prompts<4>
  }
}

// -----

// An update reads what its losses read: here on another mesh.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#u1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %d = rlg.batch @train {size = 4 : i64, demos, rlg.placement = #p0} : !rlg.demos<4> loc("d")
    %loss = rlg.sft_loss %d : !rlg.demos<4>
    // expected-error @below {{reads 'd' from mesh [0] but runs on mesh [1]}}
    // expected-note @below {{insert an rlg.transfer of it from [0] to [1]}}
    rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #u1}
  }
}

// -----

// Generation with tp = 2, training with dp = 2: the weights must be
// resharded in between.
#g = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 1, tp = 2, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#t = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #t} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #g} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    // expected-error @below {{@actor is on mesh [0, 1] with tp = 2, pp = 1, but this call runs on mesh [0, 1] with tp = 1, pp = 1}}
    // expected-note @below {{insert `rlg.reshard @actor` before this call, from the previous placement to this one}}
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #t} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  }
}

// -----

// A reshard from a placement the model is not on.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %ro1 = rlg.transfer %ro {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2>
    // expected-error @below {{reshards @actor from mesh [1] with tp = 1, pp = 1, but its previous call ran on mesh [0] with tp = 1, pp = 1}}
    // expected-note @below {{set the reshard's `from` to the previous call's placement}}
    rlg.reshard @actor {from = #p1, to = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 1, microbatch = 0, checkpointing = false, offload = false>>}
    %lp = rlg.logprob @actor(%ro1) {rlg.placement = #p1} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  }
}

// -----

// A reshard to a placement other than the next call's.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#p1 = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.step @s {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    rlg.reshard @actor {from = #p0, to = #p1}
    // expected-error @below {{@actor is on mesh [1] with tp = 1, pp = 1, but this call runs on mesh [0] with tp = 1, pp = 1}}
    // expected-note @below {{insert `rlg.reshard @actor` before this call}}
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
  }
}
