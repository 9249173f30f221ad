// rlg-insert-moves adds what a placement moves: reshards between a model's
// shardings (the first call's from the step's last), transfers of values
// read on another mesh (a loss reads on its update's mesh), and onload /
// offload around the phases of a model whose layout offloads. The result
// passes rlg-verify-placement.
// RUN: rlg-opt %s -split-input-file -rlg-insert-moves | FileCheck %s
// RUN: rlg-opt %s -split-input-file -rlg-insert-moves -rlg-verify-placement > /dev/null

// Generation at tp = 2 and training at dp = 2 on [0, 1], the reference
// offloaded there, rewards on [2, 3].
#gen = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 1, tp = 2, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#train = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 2, checkpointing = false, offload = false>>
#ref = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = true>>
#data = #rlg.placement<mesh = #rlg.mesh<[0, 1]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
#rew = #rlg.placement<mesh = #rlg.mesh<[2, 3]>, layout = #rlg.layout<dp = 2, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 4 : i64, kind = "cuda"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.model @ref {role = "policy", frozen, source = @actor, layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // CHECK-LABEL: rlg.step @moves
  // CHECK-NEXT:    %p = rlg.batch
  // CHECK-NEXT:    rlg.reshard @actor {from = #rlg.placement<{{.*}}dp = 2, tp = 1{{.*}}>, to = #rlg.placement<{{.*}}dp = 1, tp = 2{{.*}}>}
  // CHECK-NEXT:    %ro = rlg.generate @actor(%p)
  // CHECK-NEXT:    rlg.reshard @actor {from = #rlg.placement<{{.*}}dp = 1, tp = 2{{.*}}>, to = #rlg.placement<{{.*}}dp = 2, tp = 1{{.*}}>}
  // CHECK-NEXT:    %lp = rlg.logprob @actor(%ro)
  // CHECK-NEXT:    rlg.onload @ref {rlg.placement = #rlg.placement<{{.*}}offload = true>>}
  // CHECK-NEXT:    %ref_lp = rlg.logprob @ref(%ro)
  // CHECK-NEXT:    rlg.offload @ref {rlg.placement = #rlg.placement<{{.*}}offload = true>>}
  // CHECK-NEXT:    %ro_to_2-3 = rlg.transfer %ro {from = #rlg.mesh<[0, 1]>, to = #rlg.mesh<[2, 3]>}
  // CHECK-NEXT:    %r = rlg.reward_apply @correct(%ro_to_2-3)
  // CHECK-NEXT:    %r2 = rlg.reward_apply @correct(%ro_to_2-3)
  // CHECK-NEXT:    %adv = rlg.advantage "grpo"(%r)
  // CHECK-NEXT:    %adv_to_0-1 = rlg.transfer %adv {from = #rlg.mesh<[2, 3]>, to = #rlg.mesh<[0, 1]>}
  // CHECK-NEXT:    %l1 = rlg.ppo_clip_loss %lp, %adv_to_0-1
  // CHECK-NEXT:    %l2 = rlg.kl_loss %ref_lp
  // CHECK-NEXT:    %loss = rlg.loss_add %l1, %l2
  // CHECK-NEXT:    rlg.update @actor(%loss)
  // CHECK-NEXT:  {{^  }}}
  rlg.step @moves {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #data} : !rlg.prompts<4> loc("p")
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #gen} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2> loc("ro")
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #train} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("lp")
    %ref_lp = rlg.logprob @ref(%ro) {rlg.placement = #ref} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2> loc("ref_lp")
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #rew} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r")
    %r2 = rlg.reward_apply @correct(%ro) {rlg.placement = #rew} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2> loc("r2")
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #rew} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2> loc("adv")
    %l1 = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2> loc("l1")
    %l2 = rlg.kl_loss %ref_lp {estimator = "k3"} : !rlg.token_scores<4 x 2> loc("l2")
    %loss = rlg.loss_add %l1, %l2 loc("loss")
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #train} loc("update_actor")
  }
}

// -----

// One placement for everything: nothing moves.
#p0 = #rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}} {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
  rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
  rlg.reward @correct {kind = "rule", rule = "exact_match", args = {}}
  // CHECK-LABEL: rlg.step @still
  // CHECK-NOT:     rlg.reshard
  // CHECK-NOT:     rlg.transfer
  // CHECK-NOT:     rlg.onload
  // CHECK:         rlg.update
  rlg.step @still {
    %p = rlg.batch @train {size = 4 : i64, rlg.placement = #p0} : !rlg.prompts<4>
    %ro = rlg.generate @actor(%p) {n = 2 : i64, max_tokens = 8 : i64, temperature = 1.0 : f64, top_k = 0 : i64, top_p = 1.0 : f64, rlg.placement = #p0} : !rlg.prompts<4> -> !rlg.rollouts<4 x 2>
    %lp = rlg.logprob @actor(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.token_scores<4 x 2>
    %r = rlg.reward_apply @correct(%ro) {rlg.placement = #p0} : !rlg.rollouts<4 x 2> -> !rlg.seq_scores<4 x 2>
    %adv = rlg.advantage "grpo"(%r) {std_norm = true, rlg.placement = #p0} : (!rlg.seq_scores<4 x 2>) -> !rlg.advantages<4 x 2>
    %loss = rlg.ppo_clip_loss %lp, %adv {clip_low = 0.2 : f64, clip_high = 0.2 : f64} : !rlg.token_scores<4 x 2>, !rlg.advantages<4 x 2>
    rlg.update @actor(%loss) {agg = "token-mean", batch = 8 : i64, minibatch = 4 : i64, microbatch = 2 : i64, epochs = 1 : i64, rlg.placement = #p0}
  }
}
