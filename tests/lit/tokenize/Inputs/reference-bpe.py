#!/usr/bin/env python3
"""An independent byte-level BPE encoder for ASCII text, in plain Python,
against which `rlg tokenize` is compared.

    reference-bpe.py TOKENIZER_JSON RLG [--lines N]

It writes N varied ASCII lines (words, numbers, punctuation, code, runs of
spaces and tabs, contractions in both cases), encodes them with the
tokenizer.json's vocabulary and merges under Qwen2's split pattern
restricted to ASCII (\\p{L} = [A-Za-z], \\p{N} = [0-9]), runs
`RLG tokenize --tokenizer TOKENIZER_JSON --no-special` on the same lines,
and prints how many agree; it exits 1 on the first difference.
"""
import argparse
import json
import random
import re
import subprocess
import sys

QWEN2_ASCII = re.compile(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\nA-Za-z0-9]?[A-Za-z]+|[0-9]|"
    r" ?[^\sA-Za-z0-9]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def byte_chars():
    keep = (list(range(ord("!"), ord("~") + 1)) +
            list(range(ord("¡"), ord("¬") + 1)) +
            list(range(ord("®"), ord("ÿ") + 1)))
    chars, extra = keep[:], 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(keep, chars)}


def encode(text, vocab, ranks, table):
    ids = []
    for piece in QWEN2_ASCII.findall(text):
        symbols = [table[b] for b in piece.encode("utf-8")]
        while len(symbols) > 1:
            pairs = [(ranks.get((a, b), None), i)
                     for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
            pairs = [(r, i) for r, i in pairs if r is not None]
            if not pairs:
                break
            _, i = min(pairs)
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        ids.extend(vocab[s] for s in symbols)
    return ids


def lines(count, rng):
    words = ["the", "apples", "How", "many", "Tom", "answer", "isn't",
             "WE'LL", "they're", "I'm", "def", "return", "x_1", "foo.bar",
             "print(x)", "{a: 1}", "==", "->", "#### 42", "3.14", "1,000",
             "-7", "(12+30)*2", "it's", "You'VE", "don't", "e-mail"]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            w = rng.choice(words + [str(rng.randint(0, 99999))])
            parts.append(w)
            parts.append(rng.choice([" ", " ", " ", "  ", "\t", " \t ",
                                     "", ", ", ". ", "? "]))
        line = "".join(parts)
        if rng.random() < 0.2:
            line = "   " + line
        if rng.random() < 0.2:
            line = line + "    "
        out.append(line)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tokenizer")
    parser.add_argument("rlg")
    parser.add_argument("--lines", type=int, default=2000)
    args = parser.parse_args()
    model = json.load(open(args.tokenizer, encoding="utf-8"))["model"]
    vocab = model["vocab"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
              for m in model["merges"]]
    ranks = {pair: rank for rank, pair in enumerate(merges)}
    table = byte_chars()
    texts = lines(args.lines, random.Random(0))
    result = subprocess.run(
        [args.rlg, "tokenize", "--tokenizer", args.tokenizer, "--no-special"],
        input="\n".join(texts) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("rlg tokenize failed: " + result.stderr)
    got = result.stdout.split("\n")[:len(texts)]
    tokens = 0
    for text, line in zip(texts, got):
        want = encode(text, vocab, ranks, table)
        have = [int(x) for x in line.split()]
        if want != have:
            print(f"differ on {text!r}:\n  python {want}\n  rlg    {have}")
            return 1
        tokens += len(want)
    print(f"{len(texts)} lines, {tokens} tokens: identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
