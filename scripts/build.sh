#!/usr/bin/env bash
# Installs what is missing, then configures and builds rlg in build/ (Ninja).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build
# The configure output is long (LibTorch, MLIR); it is shown only on failure.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >build/configure.log 2>&1 ||
  { cat build/configure.log; exit 1; }
cmake --build build -j "$jobs"
