#!/usr/bin/env bash
# The main job: set up, build, check every program in programs/ and show what
# each one is (models, nodes, edges), then compile and run SFT + GRPO on
# arithmetic, printing held-out accuracy before and after GRPO.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
./build/bin/rlg --version
echo
./build/bin/rlg check --summary programs/*.rlg
echo
# Compile the main program and train it on the CPU: a short SFT warm-up, then
# GRPO on one-digit arithmetic, with held-out accuracy (test problems never
# seen in training) when GRPO starts and as it goes; one line per step.
./build/bin/rlg run programs/arith_sft_grpo.rlg --out build/runs/arith_sft_grpo
echo "schedule, metrics and timeline: build/runs/arith_sft_grpo/{schedule.json,metrics.jsonl,trace.json}"
