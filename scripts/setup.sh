#!/usr/bin/env bash
# Installs the Debian 12 packages rlg needs; a no-op in seconds when they are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config python3 git
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  libtorch-dev libgloo-dev libopenblas0-pthread
  libtomlplusplus-dev libboost-graph-dev
  libgtest-dev libgmock-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libicu-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "hint: run as root, or install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
