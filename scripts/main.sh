#!/usr/bin/env bash
# The main job: set up, build, then check every program in programs/ and show
# what each one is (models, nodes, edges).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
./build/bin/rlg --version
echo
./build/bin/rlg check --summary programs/*.rlg
