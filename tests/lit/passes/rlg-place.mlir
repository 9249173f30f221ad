// rlg-place runs the placement strategy its option names; "single-device"
// gives what rlg-place-single-device gives.
// RUN: rlg-opt %s -rlg-place | FileCheck %s
// RUN: rlg-opt %s "-rlg-place=strategy=single-device device-kind=cuda" | FileCheck %s --check-prefix=CUDA
// RUN: rlg-opt %s -rlg-place-single-device > %t.single
// RUN: rlg-opt %s -rlg-place > %t.place
// RUN: diff %t.single %t.place

rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
rlg.data @train {kind = "prompts", source = "task.arith", answers, args = {size = 1000 : i64}}
// CHECK:       module attributes {rlg.devices = {count = 1 : i64, kind = "cpu"}}
// CHECK-LABEL: rlg.step @warm
// CHECK-NEXT:    %d = rlg.batch @train {demos, rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false, offload = false>>
// CHECK-NEXT:    %loss = rlg.sft_loss %d :
// CHECK-NEXT:    rlg.update @actor(%loss) {{{.*}}rlg.placement = #rlg.placement<mesh = <[0]>, layout = <dp = 1, tp = 1, pp = 1, zero = 0, microbatch = 4, checkpointing = false, offload = false>>}
// CUDA:        module attributes {rlg.devices = {count = 1 : i64, kind = "cuda"}}
rlg.step @warm {
  %d = rlg.batch @train {size = 4 : i64, demos} : !rlg.demos<4> loc("d")
  %loss = rlg.sft_loss %d : !rlg.demos<4> loc("loss")
  rlg.update @actor(%loss) {agg = "token-mean", batch = 4 : i64, minibatch = 4 : i64, microbatch = 4 : i64, epochs = 1 : i64}
}
