#!/usr/bin/env bash
# The main job: set up, build, check every program in programs/ and show what
# each one is (models, nodes, edges), then compile GRPO to a schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
./build/bin/rlg --version
echo
./build/bin/rlg check --summary programs/*.rlg
echo
# Compile GRPO through every phase to the schedule the runtime executes.
mkdir -p build/schedules
./build/bin/rlg compile programs/grpo.rlg -o build/schedules/grpo.json
./build/bin/rlg validate build/schedules/grpo.json
