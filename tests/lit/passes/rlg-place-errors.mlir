// rlg-place reports an unknown strategy or device kind at the module and
// leaves it unplaced.
// RUN: rlg-opt %s -verify-diagnostics -rlg-place=strategy=search
// RUN: not rlg-opt %s -rlg-place=device-kind=tpu 2>&1 | FileCheck %s --check-prefix=KIND

// KIND: error: device kind must be "cpu" or "cuda", got "tpu"
// expected-error @below {{unknown placement strategy "search"}}
// expected-note @below {{known strategies: single-device}}
module {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
}
