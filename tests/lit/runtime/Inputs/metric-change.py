# Checks how one metric of a run changed: the mean of its first N recorded
# values against the mean of its last N.
#
#   metric-change.py METRICS KEY [--first N] [--last N]
#                    [--rise M | --fall M] [--last-above X] [--last-below X]
#
# Only the records that carry KEY count, so a metric of one stage of a staged
# run is measured over that stage's steps. Prints
#
#   KEY: S steps, first N steps X, last N steps Y
#
# and exits non-zero, saying why, when any value is not finite, when there are
# fewer than N + N values, when --rise M is given and Y < X + M, when
# --fall M is given and Y > X - M, or when Y is not above --last-above /
# below --last-below.
import argparse
import json
import math
import sys

parser = argparse.ArgumentParser()
parser.add_argument("metrics")
parser.add_argument("key")
parser.add_argument("--first", type=int, default=10)
parser.add_argument("--last", type=int, default=10)
change = parser.add_mutually_exclusive_group()
change.add_argument("--rise", type=float)
change.add_argument("--fall", type=float)
parser.add_argument("--last-above", type=float)
parser.add_argument("--last-below", type=float)
args = parser.parse_args()

values = []
for line in open(args.metrics):
    record = json.loads(line)
    if args.key in record:
        values.append((record["step"], record[args.key]))

problems = []
for step, value in values:
    if not math.isfinite(value):
        problems.append(f"{args.key} is {value} at step {step}")
if len(values) < args.first + args.last:
    sys.exit(f"{args.key}: {len(values)} steps recorded, "
             f"need at least {args.first} + {args.last}")

first = sum(v for _, v in values[:args.first]) / args.first
last = sum(v for _, v in values[-args.last:]) / args.last
print(f"{args.key}: {len(values)} steps, first {args.first} steps {first:.3f}, "
      f"last {args.last} steps {last:.3f}")

if args.rise is not None and not last >= first + args.rise:
    problems.append(f"{args.key} did not rise by {args.rise}")
if args.fall is not None and not last <= first - args.fall:
    problems.append(f"{args.key} did not fall by {args.fall}")
if args.last_above is not None and not last > args.last_above:
    problems.append(f"{args.key} did not end above {args.last_above}")
if args.last_below is not None and not last < args.last_below:
    problems.append(f"{args.key} did not end below {args.last_below}")
if problems:
    sys.exit("; ".join(problems))
