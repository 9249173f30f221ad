#!/usr/bin/env python3
"""Splits one safetensors file into two shards with an index, as
transformers writes big checkpoints: shard-safetensors.py FILE OUT_DIR."""
import json
import os
import struct
import sys

source, out = sys.argv[1], sys.argv[2]
data = open(source, "rb").read()
size = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + size])
body = data[8 + size:]
names = sorted(k for k in header if k != "__metadata__")
os.makedirs(out, exist_ok=True)
halves = [names[:len(names) // 2], names[len(names) // 2:]]
weight_map = {}
for i, part in enumerate(halves):
    shard = f"model-{i + 1:05d}-of-{len(halves):05d}.safetensors"
    entries, blobs, offset = {}, [], 0
    for name in part:
        begin, end = header[name]["data_offsets"]
        entries[name] = {"dtype": header[name]["dtype"],
                         "shape": header[name]["shape"],
                         "data_offsets": [offset, offset + end - begin]}
        blobs.append(body[begin:end])
        offset += end - begin
        weight_map[name] = shard
    text = json.dumps(entries).encode()
    text += b" " * (-len(text) % 8)
    with open(os.path.join(out, shard), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": len(body)}, "weight_map": weight_map}, f)
