#!/usr/bin/env bash
# The checks against transformers and tokenizers on a GPU machine: builds
# the runtime half against PyTorch's CUDA LibTorch, then compares rlg's
# tokenizer ids (check_tokenizer.py) and model logits, loading and saving
# (check_hf_model.py) with the Python packages'. Writes its logs to
# ${OUT:-gpu-checks}/. Needs PyTorch, transformers, tokenizers and
# safetensors in python3, and ICU's headers (libicu-dev) for tokenizer.json.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-gpu-checks}
mkdir -p "$out"
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
# Packages this machine lacks, fetched on a Debian machine by
# scripts/gpu-deps.sh and carried in .gpu-deps/: unpacked beside the build.
if compgen -G ".gpu-deps/*.deb" >/dev/null; then
  deps=$PWD/build-gpu-deps
  for deb in .gpu-deps/*.deb; do dpkg -x "$deb" "$deps"; done
  prefix="$prefix;$deps/usr"
  export CPATH="$deps/usr/include${CPATH:+:$CPATH}"
  export LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu${LIBRARY_PATH:+:$LIBRARY_PATH}"
  export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export ICU_ROOT="$deps/usr"
fi
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRLG_ENABLE_MLIR=OFF -DCMAKE_PREFIX_PATH="$prefix" >"$out/configure.log" 2>&1 ||
  { tail -40 "$out/configure.log"; exit 1; }
cmake --build build-gpu -j "$(nproc)" --target rlg rlg-runtime rlg-hf-logits \
  >"$out/build.log" 2>&1 || { grep -E "error|FAILED" "$out/build.log" | head -40; exit 1; }
status=0
python3 tests/gpu/check_tokenizer.py build-gpu/bin/rlg 2>&1 | tee "$out/tokenizer.log" || status=1
python3 tests/gpu/check_hf_model.py build-gpu/bin/rlg-hf-logits 2>&1 | tee "$out/hf-model.log" || status=1
exit $status
