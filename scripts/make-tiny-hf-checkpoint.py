#!/usr/bin/env python3
"""Writes a small, randomly initialised Hugging Face checkpoint folder.

The folder has what a downloaded Qwen2 checkpoint has: config.json,
generation_config.json, model.safetensors (bfloat16), tokenizer.json (a
byte-level BPE trained here on arithmetic word problems, with Qwen2's
pre-tokenizer) and tokenizer_config.json. It needs only Python's standard
library, so tests and a CPU-only machine can try programs that name a
Hugging Face checkpoint (programs/hf_grpo.rlg) without a download.

    python3 scripts/make-tiny-hf-checkpoint.py OUT_DIR [--seed N] [--merges N]
        [--layers N] [--hidden N] [--arch qwen2|llama] [--dtype bf16|f32]
"""

import argparse
import collections
import json
import math
import os
import random
import re
import struct
import sys

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
                 r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
# The same split for ASCII text, for training only (Python's re has no \p{L}).
TRAINING_PATTERN = re.compile(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\nA-Za-z0-9]?[A-Za-z]+|[0-9]|"
    r" ?[^\sA-Za-z0-9]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def bytes_to_unicode():
    """GPT-2's table: each byte as a printable character."""
    keep = (list(range(ord("!"), ord("~") + 1)) +
            list(range(ord("¡"), ord("¬") + 1)) +
            list(range(ord("®"), ord("ÿ") + 1)))
    chars = keep[:]
    extra = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(keep, chars)}


def corpus(rng):
    names = ["tom", "ana", "li", "sam", "maya", "omar", "eva", "ken"]
    things = ["apples", "books", "coins", "pens", "cards", "shells", "eggs"]
    lines = []
    for _ in range(1500):
        a, b = rng.randint(1, 99), rng.randint(1, 99)
        name, thing = rng.choice(names), rng.choice(things)
        lines.append(f"{name.title()} has {a} {thing} and gets {b} more. "
                     f"How many {thing} does {name.title()} have now? "
                     f"The answer is {a + b}.")
        lines.append(f"What is {a} * {b}? {a} * {b} = {a * b}.")
        lines.append(f"Question: {a} - {b} = ?\nAnswer: {a - b}")
    return "\n".join(lines)


def train_bpe(text, merges_wanted):
    byte_char = bytes_to_unicode()
    words = collections.Counter(
        "".join(byte_char[b] for b in piece.encode("utf-8"))
        for piece in TRAINING_PATTERN.findall(text))
    splits = {w: list(w) for w in words}
    merges = []
    for _ in range(merges_wanted):
        pairs = collections.Counter()
        for w, count in words.items():
            symbols = splits[w]
            for i in range(len(symbols) - 1):
                pairs[symbols[i], symbols[i + 1]] += count
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        for w in words:
            symbols, out, i = splits[w], [], 0
            while i < len(symbols):
                if (i + 1 < len(symbols) and
                        (symbols[i], symbols[i + 1]) == best):
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            splits[w] = out
    vocab = {}
    for b in range(256):
        vocab[byte_char[b]] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    return vocab, merges


def tokenizer_json(vocab, merges):
    added = [{"id": len(vocab) + i, "content": t, "single_word": False,
              "lstrip": False, "rstrip": False, "normalized": False,
              "special": True} for i, t in enumerate(SPECIAL_TOKENS)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False,
             "trim_offsets": False, "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": False,
                           "trim_offsets": False, "use_regex": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": False,
                    "trim_offsets": False, "use_regex": False},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "",
                  "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": False, "vocab": vocab,
                  "merges": [f"{a} {b}" for a, b in merges]},
    }


def bf16_bytes(values):
    out = bytearray()
    for v in values:
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        bits += 0x7FFF + ((bits >> 16) & 1)  # round to nearest even
        out += struct.pack("<H", (bits >> 16) & 0xFFFF)
    return bytes(out)


def f32_bytes(values):
    return struct.pack(f"<{len(values)}f", *values)


def write_safetensors(path, tensors, dtype):
    """tensors: name -> (shape, list of floats), in a fixed order."""
    encode = bf16_bytes if dtype == "BF16" else f32_bytes
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        shape, values = tensors[name]
        blob = encode(values)
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def weights(cfg, rng):
    h, f = cfg["hidden_size"], cfg["intermediate_size"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = h // heads
    std = 0.02
    out_std = std / math.sqrt(2 * cfg["num_hidden_layers"])

    def normal(shape, s=std):
        return (shape, [rng.gauss(0.0, s) for _ in range(math.prod(shape))])

    def ones(n):
        return ([n], [1.0] * n)

    bias = cfg["model_type"] == "qwen2"
    t = {"model.embed_tokens.weight": normal([cfg["vocab_size"], h]),
         "model.norm.weight": ones(h)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = ones(h)
        t[p + "post_attention_layernorm.weight"] = ones(h)
        t[p + "self_attn.q_proj.weight"] = normal([heads * d, h])
        t[p + "self_attn.k_proj.weight"] = normal([kv * d, h])
        t[p + "self_attn.v_proj.weight"] = normal([kv * d, h])
        t[p + "self_attn.o_proj.weight"] = normal([h, heads * d], out_std)
        if bias:
            for name, n in (("q", heads * d), ("k", kv * d), ("v", kv * d)):
                t[p + f"self_attn.{name}_proj.bias"] = normal([n])
        t[p + "mlp.gate_proj.weight"] = normal([f, h])
        t[p + "mlp.up_proj.weight"] = normal([f, h])
        t[p + "mlp.down_proj.weight"] = normal([h, f], out_std)
    if not cfg["tie_word_embeddings"]:
        t["lm_head.weight"] = normal([cfg["vocab_size"], h])
    return t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--merges", type=int, default=300)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--arch", choices=["qwen2", "llama"], default="qwen2")
    parser.add_argument("--dtype", choices=["bf16", "f32"], default="bf16")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    vocab, merges = train_bpe(corpus(rng), args.merges)
    tokens = len(vocab) + len(SPECIAL_TOKENS)
    vocab_size = (tokens + 63) // 64 * 64  # room to split over 2 or 4 ranks
    eos = len(vocab) + SPECIAL_TOKENS.index("<|im_end|>")
    pad = len(vocab) + SPECIAL_TOKENS.index("<|endoftext|>")
    qwen2 = args.arch == "qwen2"
    cfg = {
        "architectures": ["Qwen2ForCausalLM" if qwen2 else "LlamaForCausalLM"],
        "model_type": args.arch,
        "hidden_size": args.hidden,
        "intermediate_size": args.hidden * 2,
        "num_hidden_layers": args.layers,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": vocab_size,
        "max_position_embeddings": 512,
        "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0 if qwen2 else 10000.0,
        "rope_scaling": None,
        "hidden_act": "silu",
        "tie_word_embeddings": qwen2,
        "torch_dtype": "bfloat16" if args.dtype == "bf16" else "float32",
        "bos_token_id": pad,
        "eos_token_id": eos,
        "initializer_range": 0.02,
        "attention_dropout": 0.0,
        "use_cache": True,
    }
    if qwen2:
        cfg.update({"use_sliding_window": False, "sliding_window": None,
                    "max_window_layers": args.layers})
    else:
        cfg.update({"attention_bias": False, "mlp_bias": False})

    os.makedirs(args.out, exist_ok=True)

    def dump(name, value):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2, ensure_ascii=False)
            f.write("\n")

    dump("config.json", cfg)
    dump("generation_config.json", {"bos_token_id": pad, "eos_token_id": eos})
    dump("tokenizer.json", tokenizer_json(vocab, merges))
    dump("tokenizer_config.json", {
        "tokenizer_class": "Qwen2Tokenizer",
        "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
        "bos_token": None, "add_bos_token": False,
        "model_max_length": 512})
    write_safetensors(os.path.join(args.out, "model.safetensors"),
                      weights(cfg, rng), "BF16" if args.dtype == "bf16" else "F32")
    print(f"{args.out}: {args.arch}, {args.layers} layers x {args.hidden} "
          f"hidden, vocabulary {vocab_size} ({tokens} tokens)")


if __name__ == "__main__":
    sys.exit(main())
