# Compares two metrics.jsonl files step by step within a relative tolerance,
# ignoring timings, memory and throughput; prints the largest difference and
# exits 1 naming the first metric past the tolerance (or a missing one).
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("reference")
parser.add_argument("other")
parser.add_argument("--rtol", type=float, default=1e-4)
parser.add_argument("--atol", type=float, default=1e-6)
parser.add_argument("--ignore", action="append", default=[],
                    help="a metric name prefix to leave out")
parser.add_argument("--until", type=int, default=None,
                    help="compare steps up to this one only")
parser.add_argument("--only", action="append", default=[],
                    help="compare only metrics with these name prefixes")
args = parser.parse_args()
ignored = ("timing_s/", "perf/", *args.ignore)


def load(path):
    steps = {}
    for line in open(path):
        record = json.loads(line)
        if args.until is not None and record["step"] > args.until:
            continue
        steps[record["step"]] = {
            k: v for k, v in record.items()
            if not k.startswith(ignored)
            and (not args.only or k.startswith(tuple(args.only)))}
    return steps


a, b = load(args.reference), load(args.other)
if sorted(a) != sorted(b):
    sys.exit(f"steps differ: {sorted(a)} vs {sorted(b)}")
worst, where, compared = 0.0, "", 0
for step in sorted(a):
    if sorted(a[step]) != sorted(b[step]):
        sys.exit(f"step {step}: metrics differ: {sorted(a[step])} vs {sorted(b[step])}")
    for name, x in a[step].items():
        y = b[step][name]
        compared += 1
        gap = abs(x - y)
        relative = gap / max(abs(x), 1e-12)
        if gap > 0 and relative > worst:
            worst, where = relative, f"{name} at step {step} ({x} vs {y})"
        if gap > args.atol + args.rtol * abs(x):
            sys.exit(f"step {step}: {name} differs: {x} vs {y}")
print(f"{len(a)} steps, {compared} values within rtol {args.rtol}; "
      f"largest relative difference {worst:.2e}{': ' + where if where else ''}")
