# Compares two metrics.jsonl files step by step, ignoring timings, memory and
# evaluations (a run that stops early evaluates at its last step; evaluation
# never changes training); exits 1 and names the first difference.
import json
import sys


def load(path):
    steps = {}
    for line in open(path):
        record = json.loads(line)
        if record["step"] == 0:  # the evaluation before the first step
            continue
        steps[record["step"]] = {k: v for k, v in record.items()
                                 if not k.startswith(("timing_s/", "perf/", "eval/"))}
    return steps


a, b = load(sys.argv[1]), load(sys.argv[2])
if sorted(a) != sorted(b):
    sys.exit(f"steps differ: {sorted(a)} vs {sorted(b)}")
for step in sorted(a):
    if a[step] != b[step]:
        sys.exit(f"step {step} differs: {a[step]} vs {b[step]}")
print(f"{len(a)} steps equal")
