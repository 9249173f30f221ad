#!/usr/bin/env bash
# Builds rlg-runtime and grpo_step_bench against PyTorch's CUDA LibTorch, runs
# the Hugging Face peer and the bench in one session, writes both JSONs and a
# side-by-side table (docs/bench.md). Run on a GPU machine from the repo root:
#   bash bench/run_gpu.sh [--layers 24 --prompts 64 ...]   # args go to both
# Environment: OUT (results folder; default bench/results), PYTHON (python3),
# RLG_PEER_BENCH (the peer script; default ../shared/bench/peer_hf_grpo.py or
# shared/bench/peer_hf_grpo.py), RLG_BENCH_BUILD (build folder; build-bench),
# RLG_BENCH_PRECISIONS (ours to run; default "bf16 bf16-weights"),
# RLG_BENCH_ARGS (more arguments for ours only, e.g. --checkpointing),
# RLG_BENCH_DEVICE (ours' --device; default cuda; cpu for a dry run).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${OUT:-$root/bench/results}
python=${PYTHON:-python3}
build=${RLG_BENCH_BUILD:-$root/build-bench}
read -r -a precisions <<< "${RLG_BENCH_PRECISIONS:-bf16 bf16-weights}"
device=${RLG_BENCH_DEVICE:-cuda}
read -r -a extra <<< "${RLG_BENCH_ARGS:-}"
mkdir -p "$out"
log() { echo "run_gpu.sh: $*" >&2; }

peer=${RLG_PEER_BENCH:-}
if [[ -z $peer ]]; then
  for candidate in "$root/../shared/bench/peer_hf_grpo.py" \
    "$root/shared/bench/peer_hf_grpo.py"; do
    if [[ -f $candidate ]]; then
      peer=$candidate
      break
    fi
  done
fi

# What this machine has, for the record.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  "$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 || true
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || true
  g++ --version 2>&1 | head -1 || true
  cmake --version 2>&1 | head -1 || true
} > "$out/env.txt"
cat "$out/env.txt" >&2

if ! "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  log "error: $python has no CUDA-enabled torch (see $out/env.txt)"
  exit 1
fi
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')

# PyTorch's CMake files look for the CUDA toolkit (nvcc) even for C++-only
# code; /usr/local/cuda is where it usually is.
if ! command -v nvcc > /dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
  export PATH=/usr/local/cuda/bin:$PATH
fi
generator=()
if command -v ninja > /dev/null; then
  generator=(-G Ninja)
fi

log "configuring $build against $prefix"
if ! cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DRLG_ENABLE_MLIR=OFF -DRLG_BUILD_TESTS=OFF \
  -DCMAKE_PREFIX_PATH="$prefix" > "$out/configure.log" 2>&1; then
  tail -30 "$out/configure.log" >&2
  log "error: configuring failed (all of it in $out/configure.log)"
  log "hint: the build needs cmake >= 3.20, g++, fmt, nlohmann-json, CLI11 and"
  log "  Boost headers (Debian: libfmt-dev nlohmann-json3-dev libcli11-dev"
  log "  libboost-dev), and PyTorch's CMake files need the CUDA toolkit (nvcc on"
  log "  PATH or CUDAToolkit_ROOT set)"
  exit 1
fi
log "building rlg-runtime and grpo_step_bench"
if ! cmake --build "$build" --target rlg-runtime grpo_step_bench \
  -j "$(nproc)" > "$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  log "error: the build failed (all of it in $out/build.log)"
  exit 1
fi
"$build/bin/rlg-runtime" --version | tee "$out/rlg-runtime-version.txt" >&2

status=0
if [[ -n $peer ]]; then
  log "peer: $python $peer $*"
  if ! "$python" "$peer" "$@" > "$out/peer_hf_grpo.json" 2> "$out/peer_hf_grpo.log"; then
    tail -20 "$out/peer_hf_grpo.log" >&2
    log "error: the peer failed (needs transformers); see $out/peer_hf_grpo.log"
    rm -f "$out/peer_hf_grpo.json"
    status=1
  fi
else
  log "error: no peer script; set RLG_PEER_BENCH"
  status=1
fi
for precision in "${precisions[@]}"; do
  name=rlg_grpo_step_${precision//-/_}
  log "rlg: grpo_step_bench --device $device --precision $precision $* ${extra[*]}"
  if ! "$build/bin/grpo_step_bench" --device "$device" --precision "$precision" \
    "$@" "${extra[@]}" > "$out/$name.json" 2> "$out/$name.log"; then
    tail -20 "$out/$name.log" >&2
    log "error: grpo_step_bench --precision $precision failed; see $out/$name.log"
    rm -f "$out/$name.json"
    status=1
  fi
done

"$python" - "$out" "${precisions[@]}" > "$out/table.md" << 'EOF'
# Side by side: the peer's JSON and ours, key by key.
import json, os, sys

out, precisions = sys.argv[1], sys.argv[2:]
columns = [("peer (HF, bf16 weights)", "peer_hf_grpo.json")] + [
    ("rlg " + p, "rlg_grpo_step_%s.json" % p.replace("-", "_")) for p in precisions]
data = []
for _, name in columns:
    path = os.path.join(out, name)
    data.append(json.load(open(path)) if os.path.exists(path) else {})
keys = ["params", "sequences", "generate_s", "generate_tok_per_s", "score_s",
        "update_s", "update_tflops", "step_s", "peak_mem_gib", "decode_floor_s"]

def cell(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return "%.0f" % value if abs(value) >= 1e4 else "%.4g" % value
    return str(value)

print("| key | " + " | ".join(title for title, _ in columns) + " |")
print("|---|" + "---|" * len(columns))
for key in keys:
    print("| %s | %s |" % (key, " | ".join(cell(d.get(key)) for d in data)))
peer = data[0]
if peer.get("step_s"):
    for (title, _), d in zip(columns[1:], data[1:]):
        if d.get("step_s"):
            print("\n%s: step %.3gx the peer's time (generate %.3gx, score "
                  "%.3gx, update %.3gx)" % (
                      title, d["step_s"] / peer["step_s"],
                      d["generate_s"] / peer["generate_s"],
                      d["score_s"] / peer["score_s"],
                      d["update_s"] / peer["update_s"]))
EOF
cat "$out/table.md"
log "results in $out"
exit $status
