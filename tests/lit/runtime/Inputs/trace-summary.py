# Summarises a Chrome trace file the runtime wrote: its tracks in display
# order and, per track, how many spans it holds. Exits 1 when the file is not
# a trace Perfetto opens (no traceEvents list, a span without a known track,
# a negative duration, or spans of one track that overlap).
import json
import sys

trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in events
         if e["ph"] == "M" and e["name"] == "thread_name"}
order = {e["tid"]: e["args"]["sort_index"] for e in events
         if e["ph"] == "M" and e["name"] == "thread_sort_index"}
spans = {}
for e in events:
    if e["ph"] != "X":
        continue
    if e["tid"] not in names:
        sys.exit(f"span {e['name']} on unnamed track {e['tid']}")
    if e["dur"] < 0 or e["ts"] < 0:
        sys.exit(f"span {e['name']} has ts {e['ts']}, dur {e['dur']}")
    spans.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
for tid, list_ in spans.items():
    list_.sort()
    for (_, end), (start, _) in zip(list_, list_[1:]):
        if start < end - 1e-3:
            sys.exit(f"spans overlap on track {names[tid]}")
tracks = sorted(names, key=lambda tid: order.get(tid, tid))
print("tracks: " + ", ".join(f"{names[t]} {len(spans.get(t, []))}"
                             for t in tracks))
