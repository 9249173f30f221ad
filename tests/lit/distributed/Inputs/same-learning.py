# Compares the learning curves of two runs: the mean of METRIC over windows
# of steps (first, middle, last), which must agree within --atol; prints
# the windows of both runs.
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("reference")
parser.add_argument("other")
parser.add_argument("metric")
parser.add_argument("--window", type=int, default=20)
parser.add_argument("--atol", type=float, required=True)
args = parser.parse_args()


def series(path):
    return [r[args.metric] for r in map(json.loads, open(path))
            if args.metric in r]


a, b = series(args.reference), series(args.other)
if len(a) != len(b) or len(a) < 3 * args.window:
    sys.exit(f"{args.metric}: {len(a)} vs {len(b)} values")
middle = (len(a) - args.window) // 2
failed = False
for name, start in [("first", 0), ("middle", middle),
                    ("last", len(a) - args.window)]:
    ma = sum(a[start:start + args.window]) / args.window
    mb = sum(b[start:start + args.window]) / args.window
    failed |= abs(ma - mb) > args.atol
    print(f"{args.metric} {name} {args.window} steps: {ma:.4f} vs {mb:.4f}")
sys.exit(f"{args.metric}: the curves differ by more than {args.atol}"
         if failed else 0)
