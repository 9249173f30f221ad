# Checks that a run's critic/score/mean rises: the mean of the first 10
# steps is below `low` and the mean of the last 10 above `high`.
import json
import sys

path, low, high = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
scores = [json.loads(line)["critic/score/mean"] for line in open(path)]
first, last = sum(scores[:10]) / 10, sum(scores[-10:]) / 10
print(f"first 10 steps {first:.3f}, last 10 steps {last:.3f}")
if not (first < low and last > high):
    sys.exit(f"the reward did not rise from below {low} to above {high}")
