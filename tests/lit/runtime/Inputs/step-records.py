# Checks the metrics files of several runs: each has a record of step 1
# whose values are all finite numbers. Prints one line per run and a total;
# exits 1 naming the first run that fails.
import json
import math
import sys

for path in sys.argv[1:]:
    records = [json.loads(line) for line in open(path)]
    step = [r for r in records if r.get("step") == 1]
    if not step:
        sys.exit(f"{path}: no record of step 1")
    bad = [k for k, v in step[0].items()
           if not isinstance(v, (int, float)) or not math.isfinite(v)]
    if bad:
        sys.exit(f"{path}: not finite: {', '.join(bad)}")
    print(f"{path.split('/')[-2]}: step 1, {len(step[0]) - 1} metrics")
print(f"{len(sys.argv) - 1} runs")
