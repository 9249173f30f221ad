#!/usr/bin/env bash
# The main job: set up, build, check every program in programs/ and show what
# each one is (models, nodes, edges), then compile GRPO and train it briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
./build/bin/rlg --version
echo
./build/bin/rlg check --summary programs/*.rlg
echo
# Compile GRPO to the schedule the runtime executes, then train it for a few
# steps on the CPU: held-out accuracy before and after, one line per step.
./build/bin/rlg run programs/grpo.rlg --steps 10 --out build/runs/grpo
echo "schedule and metrics: build/runs/grpo/{schedule.json,metrics.jsonl}"
