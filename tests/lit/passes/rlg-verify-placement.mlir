// rlg-verify-placement accepts complete, consistent plans and leaves them
// unchanged.
// RUN: rlg-opt %s -split-input-file -rlg-verify-placement | FileCheck %s

// One device: everything on mesh [0]; losses and planning ops unplaced.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#u0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 2, microbatch = 2, checkpointing = true, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // CHECK-LABEL: rlg.step @one_device
  // CHECK:         rlg.update @actor({{.*}}) {{{.*}}rlg.placement
  rlg.step @one_device {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %ref_lp = rlg.logprob @ref(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #p0} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    %l2 = rlg.kl_loss %ref_lp {estimator = "k3"} : !rlg.token_scores<4 x 2>
    %loss = rlg.loss_add %l1, %l2
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #u0}
    rlg.offload @ref
  }
  rlg.hints {colocate = [[@actor, @ref]], layouts = {"actor.update" = {zero = 2 : i64, checkpointing = true}}, overlap = {mode = "none"}}
}

// -----

// Two devices: generation on [0], training on [1]. The rollouts move with
// a transfer, the actor's weights with a reshard before its first call on
// [1]; the update's batch splits over two data-parallel replicas of
// micro-batch 2.
#g = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#t = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#u = #rlg.placement<mesh = #rlg.mesh<[1]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // CHECK-LABEL: rlg.step @split
  // CHECK:         rlg.reshard @actor
  rlg.step @split {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #g} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #g} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %ro1 = rlg.transfer %ro {from = #rlg.mesh<[0]>, to = #rlg.mesh<[1]>} : !rlg.rollouts<4 x 2>
    rlg.reshard @actor {from = #g, to = #t}
    %lp = rlg.logprob @actor(%ro1) {rlg.placement = #t} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro1) {rlg.placement = #t} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #t} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #u}
  }
}

// -----

// Data parallelism and tensor parallelism on a mesh of two: dp = 2 with
// micro-batch 2 divides a mini-batch of 4; tp = 2 for generation needs a
// reshard to dp = 2 for training (same mesh, other tp).
#g = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 1, tp = 2, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#t = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 1, microbatch = 2, checkpointing = false, offload = false>>
#d = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 2 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // CHECK-LABEL: rlg.step @parallel
  rlg.step @parallel {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #d} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #g} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    rlg.reshard @actor {from = #g, to = #t}
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #t} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #d} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #d} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #t}
  }
  rlg.hints {colocate = [], layouts = {"actor.generate" = {tp = 2 : i64}, "actor.update" = {dp = 2 : i64, zero = 1 : i64}}, overlap = {mode = "none"}}
}
