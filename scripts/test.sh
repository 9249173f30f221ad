#!/usr/bin/env bash
# The whole test suite: set up, build, and run every test through ctest
# (GoogleTest units, the lit + FileCheck suite, the fuzz test, and both
# single-half build configurations).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j "$jobs" "$@"
echo "test suite wall time: $(( $(date +%s) - start )) s"
