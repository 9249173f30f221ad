#!/usr/bin/env bash
# Fetches, on a Debian 12 machine, the packages the runtime half builds with
# that a GPU machine without them lacks (JSON, CLI11, fmt, TOML++, Boost
# headers, ICU, GoogleTest), as .deb files in .gpu-deps/ (about 30 MB), for
# tests/gpu/run-checks.sh to unpack there. Carry .gpu-deps with the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu-deps
cd .gpu-deps
apt-get download nlohmann-json3-dev libcli11-dev libfmt-dev libfmt9 \
  libtomlplusplus-dev libtomlplusplus3 libboost1.74-dev libicu-dev libicu72 \
  libgtest-dev 2>&1 | grep -v "unsandboxed" || true
ls -la
