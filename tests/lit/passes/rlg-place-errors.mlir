// rlg-place reports an unknown strategy or device kind, a planner strategy
// without a cluster file and a bad setting at the module, and leaves it
// unplaced.
// RUN: rlg-opt %s -verify-diagnostics -rlg-place=strategy=serch
// RUN: not rlg-opt %s -rlg-place=device-kind=tpu 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not rlg-opt %s -rlg-place=strategy=search 2>&1 | FileCheck %s --check-prefix=CLUSTER
// RUN: not rlg-opt %s "-rlg-place=set=promts=4" 2>&1 | FileCheck %s --check-prefix=SET

// KIND: error: device kind must be "cpu" or "cuda", got "tpu"
// CLUSTER: error: the search strategy plans for a cluster, and no cluster file is given
// CLUSTER: note: use `rlg plan FILE.rlg --cluster C.toml --strategy search`, or rlg-place{strategy=search cluster=C.toml}
// SET: error: unknown setting 'promts'
// SET: note: did you mean 'prompts'? the keys are: prompts, samples, prompt_tokens, response_tokens, iterations, MODEL.model, MODEL.preset
// expected-error @below {{unknown placement strategy "serch"}}
// expected-note @below {{known strategies: single-device search colocate split standalone exhaustive}}
module {
  rlg.model @actor {role = "policy", layers = 1, hidden = 8, ffn = 16, heads = 1, kv_heads = 1, vocab = 16, optimizer = {lr = 1.0e-04 : f64}}
}
