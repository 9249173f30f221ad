#!/usr/bin/env python3
"""Compares `rlg tokenize` with the Hugging Face `tokenizers` library.

Usage: check_tokenizer.py RLG_BINARY [--strings N] [--keep DIR]

Trains small tokenizers with `tokenizers` (Qwen2, GPT-2, Llama 3 and
Llama 2 style, plus variants that change one part each), writes their
tokenizer.json files, generates varied single-line strings (scripts, accents,
combining marks, CJK, emoji, numbers, code, runs of spaces and tabs, special
tokens inside the text) and checks, for every tokenizer and string:
  - `rlg tokenize` ids == encode(s).ids, and with --no-special ==
    encode(s, add_special_tokens=False).ids;
  - `rlg tokenize --decode` of those ids == decode(ids), and with
    --skip-special == decode(ids, skip_special_tokens=True);
  - the same for random id sequences (broken UTF-8 among them).
Prints the counts and the first mismatches; exits 1 on any mismatch, 2 when
rlg fails.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import unicodedata

try:
    import tokenizers
    from tokenizers import (AddedToken, Regex, Tokenizer, decoders, models,
                            normalizers, pre_tokenizers, processors, trainers)
except ImportError:
    print("check_tokenizer: the Python package `tokenizers` is not installed",
          file=sys.stderr)
    sys.exit(2)

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|"
                 r"\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|"
                  r"\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|"
                  r"\s+(?!\S)|\s+")

WORDS = [
    # English, with capitals and contractions
    "the", "model", "policy", "reward", "value", "token", "training", "Hello",
    "World", "THE", "don't", "I'M", "they'll", "it's", "we're", "you've",
    "she'd", "IT'S", "O'Neil", "rock'n'roll",
    # accents, precomposed and decomposed, combining marks
    "café", "naïve", "Ångström", "ñandú", "Übermensch", "façade", "e\u0301",
    "a\u0308", "Z\u0351\u0360", "\u0301", "ǅ", "İstanbul", "ΣΊΣΥΦΟΣ",
    # other scripts
    "日本語", "中文字符", "한국어", "ひらがな", "カタカナ", "مرحبا", "שלום",
    "Привет", "Σίσυφος", "नमस्ते", "สวัสดี", "ქართული", "Ελληνικά",
    # emoji
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "❤️", "🤖🤖",
    # numbers
    "0", "42", "3.14159", "1,000,000", "１２３", "²", "½", "Ⅻ", "٣٤٥",
    "2024-01-31", "0x1F", "-7", "1e-9", "123456789012",
    # code
    "def f(x):", "return x**2;", '{"k": [1, 2]}', "a->b", "i += 1",
    '<div class="x">', "#include <stdio.h>", "SELECT * FROM t;", "__init__",
    "snake_case", "camelCase", "`tick`", "a\\b", "$PATH", "~/.bashrc",
    # punctuation
    "!!!", "...", "—", "“quoted”", "«guillemets»", "¿", "¡", "(", ")", "?!",
    # long and repetitive
    "supercalifragilisticexpialidocious", "aaaaaaaaaaaa", "abababababab",
    "Donaudampfschifffahrtsgesellschaft",
]
SPACES = ["", " ", " ", " ", "  ", "   ", "\t", "\t\t", " \t ", "\u00a0",
          "\u3000", "\u2009", "\u000b", "\u000c", "\u0085", "\u2028",
          "        "]
SPECIALS = ["<|im_start|>", "<|im_end|>", "<|endoftext|>",
            "<|begin_of_text|>", "<|eot_id|>", "<s>", "</s>", "<mask>",
            "[X]", "hello world", "<|im_start", "<|"]


def random_word(rng):
    letters = "abcdefghijklmnopqrstuvwxyzéüßøçñ"
    return "".join(rng.choice(letters) for _ in range(rng.randint(1, 14)))


# Blocks whose characters are old enough to have the same properties in
# every Unicode version the engines compared here might use.
BLOCKS = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x4FF), (0x590, 0x6FF),
          (0x900, 0x97F), (0x2000, 0x206F), (0x2100, 0x22FF),
          (0x2500, 0x257F), (0x3040, 0x30FF), (0x4E00, 0x9FA5),
          (0xAC00, 0xD7A3), (0xFF00, 0xFFEF), (0x1F300, 0x1F64F),
          (0x1F900, 0x1F9FF)]


def random_char(rng):
    while True:
        low, high = rng.choice(BLOCKS)
        c = chr(rng.randint(low, high))
        if unicodedata.category(c) not in ("Cn", "Cs", "Co") and \
                c not in "\n\r":
            return c


def random_string(rng, specials=True):
    parts = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.55:
            part = rng.choice(WORDS)
        elif kind < 0.75:
            part = random_word(rng)
        elif kind < 0.85:
            part = str(rng.randint(0, 10 ** rng.randint(1, 12)))
        elif kind < 0.93 or not specials:
            part = random_char(rng)
        else:
            part = rng.choice(SPECIALS)
        if rng.random() < 0.2:
            part = part.upper()
        parts.append(part)
        parts.append(rng.choice(SPACES))
    text = "".join(parts)
    if rng.random() < 0.1:
        text = rng.choice(SPACES) + text
    if rng.random() < 0.7:
        text = text.rstrip(" \t")
    # One line each: no line feed or carriage return inside.
    return text.replace("\n", " ").replace("\r", " ")


def corpus(rng, lines):
    return [random_string(rng, specials=False) for _ in range(lines)]


def byte_level_tokenizer(pattern, ignore_merges=False):
    tokenizer = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    split = pre_tokenizers.Split(Regex(pattern), behavior="isolated",
                                 invert=False)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [split, pre_tokenizers.ByteLevel(add_prefix_space=False,
                                         use_regex=False)])
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer


def train(tokenizer, lines, specials, vocab_size=2000, byte_level=True,
          limit_alphabet=None):
    options = dict(vocab_size=vocab_size, special_tokens=specials,
                   show_progress=False)
    if byte_level:
        options["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
    if limit_alphabet:
        options["limit_alphabet"] = limit_alphabet
    tokenizer.train_from_iterator(lines, trainer=trainers.BpeTrainer(**options))
    return tokenizer


def build_tokenizers(lines):
    """name -> (Tokenizer, tokenizer_config dict)."""
    built = {}

    qwen2 = byte_level_tokenizer(QWEN2_PATTERN)
    qwen2.normalizer = normalizers.NFC()
    qwen2.post_processor = processors.ByteLevel(trim_offsets=False)
    train(qwen2, lines, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    built["qwen2"] = (qwen2, {"eos_token": "<|im_end|>",
                              "pad_token": "<|endoftext|>"})

    gpt2 = Tokenizer(models.BPE())
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    gpt2.decoder = decoders.ByteLevel()
    train(gpt2, lines, ["<|endoftext|>"])
    built["gpt2"] = (gpt2, {"eos_token": "<|endoftext|>"})

    llama3 = byte_level_tokenizer(LLAMA3_PATTERN, ignore_merges=True)
    train(llama3, lines, ["<|begin_of_text|>", "<|end_of_text|>",
                          "<|eot_id|>"])
    bos = llama3.token_to_id("<|begin_of_text|>")
    llama3.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A",
            pair="<|begin_of_text|> $A <|begin_of_text|> $B",
            special_tokens=[("<|begin_of_text|>", bos)])])
    built["llama3"] = (llama3, {"bos_token": "<|begin_of_text|>",
                                "eos_token": "<|eot_id|>"})

    llama2 = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True,
                                  fuse_unk=True))
    llama2.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="first", split=True)
    byte_tokens = ["<0x%02X>" % b for b in range(256)]
    train(llama2, lines, ["<unk>", "<s>", "</s>"] + byte_tokens,
          vocab_size=1500, byte_level=False, limit_alphabet=150)
    # Llama 2 encodes a whole piece (split=False); merges never cross U+2581.
    llama2.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="first", split=False)
    llama2.decoder = decoders.Sequence([
        decoders.Replace("\u2581", " "), decoders.ByteFallback(),
        decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    llama2.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B",
        special_tokens=[("<s>", llama2.token_to_id("<s>"))])
    built["llama2"] = (llama2, {"bos_token": "<s>", "eos_token": "</s>"})

    # Variants: one part changed each, through the JSON.
    def variant(base, change):
        data = json.loads(built[base][0].to_str())
        change(data)
        return Tokenizer.from_str(json.dumps(data)), dict(built[base][1])

    def prefix_space(data):
        data["pre_tokenizer"]["add_prefix_space"] = True
        data["decoder"]["add_prefix_space"] = True
    built["gpt2-prefix-space"] = variant("gpt2", prefix_space)

    def metaspace_split(data):
        data["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581",
                                 "prepend_scheme": "always", "split": True}
        data["decoder"] = {"type": "Metaspace", "replacement": "\u2581",
                           "prepend_scheme": "always", "split": True}
        data["model"]["fuse_unk"] = False
    built["llama2-split"] = variant("llama2", metaspace_split)

    def legacy_llama2(data):
        data["pre_tokenizer"] = None
        data["normalizer"] = {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "},
             "content": "\u2581"}]}
    built["llama2-legacy"] = variant("llama2", legacy_llama2)

    def misc(data):
        data["normalizer"] = {"type": "Sequence", "normalizers": [
            {"type": "NFKC"}, {"type": "Lowercase"},
            {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}]}
        data["pre_tokenizer"]["pretokenizers"].insert(
            0, {"type": "Digits", "individual_digits": False})
        data["pre_tokenizer"]["pretokenizers"].insert(
            1, {"type": "Split", "pattern": {"String": "-"},
                "behavior": "MergedWithNext", "invert": False})
    misc_tokenizer, misc_config = variant("qwen2", misc)
    misc_tokenizer.add_special_tokens(
        [AddedToken("<mask>", lstrip=True, rstrip=False, normalized=False)])
    misc_tokenizer.add_tokens(
        [AddedToken("[X]", single_word=True, normalized=True),
         AddedToken("hello world", normalized=True)])
    built["misc"] = (misc_tokenizer, misc_config)
    return built


def run_rlg(rlg, folder, lines, *options):
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    result = subprocess.run([rlg, "tokenize", "--tokenizer", folder, *options],
                            input=data, capture_output=True, timeout=600)
    if result.returncode != 0:
        print("check_tokenizer: %s tokenize %s failed (exit %d):\n%s" %
              (rlg, " ".join(options), result.returncode,
               result.stderr.decode("utf-8", "replace")), file=sys.stderr)
        sys.exit(2)
    out = result.stdout.decode("utf-8")
    got = out.split("\n")
    if got and got[-1] == "":
        got.pop()
    if len(got) != len(lines):
        print("check_tokenizer: %s printed %d lines for %d" %
              (rlg, len(got), len(lines)), file=sys.stderr)
        sys.exit(2)
    return got


def ids_text(ids):
    return " ".join(str(i) for i in ids)


def random_ids(rng, tokenizer, count):
    """Random id sequences without tokens that decode to a line break."""
    usable = []
    for i in range(tokenizer.get_vocab_size(with_added_tokens=True)):
        token = tokenizer.id_to_token(i)
        if token is None or token in ("<0x0A>", "<0x0D>"):
            continue
        if "\u010a" in token or "\u010d" in token:  # byte-level \n, \r
            continue
        if "\n" in token or "\r" in token:
            continue
        usable.append(i)
    return [[rng.choice(usable) for _ in range(rng.randint(1, 12))]
            for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rlg", help="the rlg binary")
    parser.add_argument("--strings", type=int, default=3000)
    parser.add_argument("--keep", help="write the tokenizers here")
    args = parser.parse_args()
    rlg = os.path.abspath(args.rlg)

    rng = random.Random(20240531)
    print("tokenizers %s" % tokenizers.__version__)
    built = build_tokenizers(corpus(rng, 6000))
    strings = [random_string(rng) for _ in range(args.strings)]
    strings += ["", " ", "  ", "\t", "a", "<|im_start|>", "<s>"]

    root = args.keep or tempfile.mkdtemp(prefix="rlg-tokenizers-")
    mismatches = []
    checks = 0
    for name, (tokenizer, config) in built.items():
        folder = os.path.join(root, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "tokenizer.json")
        tokenizer.save(path)
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump(config, f)
        # The reference is the file, as rlg reads it.
        tokenizer = Tokenizer.from_file(path)

        def compare(kind, inputs, expected, got):
            nonlocal checks
            for text, want, have in zip(inputs, expected, got):
                checks += 1
                if want != have:
                    mismatches.append((name, kind, text, want, have))

        for special, option in ((True, ()), (False, ("--no-special",))):
            expected = [tokenizer.encode(s, add_special_tokens=special).ids
                        for s in strings]
            got = run_rlg(rlg, folder, strings, *option)
            compare("encode" + (" --no-special" if option else ""), strings,
                    [ids_text(ids) for ids in expected], got)
            id_lines = [ids_text(ids) for ids in expected]
            for skip, decode_option in ((False, ()),
                                        (True, ("--skip-special",))):
                want = [tokenizer.decode(ids, skip_special_tokens=skip)
                        for ids in expected]
                have = run_rlg(rlg, folder, id_lines, "--decode",
                               *decode_option)
                compare("decode" + (" --skip-special" if skip else ""),
                        id_lines, want, have)
        sequences = random_ids(rng, tokenizer, 500)
        id_lines = [ids_text(ids) for ids in sequences]
        want = [tokenizer.decode(ids, skip_special_tokens=False)
                for ids in sequences]
        compare("decode random ids", id_lines, want,
                run_rlg(rlg, folder, id_lines, "--decode"))

    print("%d tokenizers (%s), %d strings, %d checks, %d mismatches" %
          (len(built), ", ".join(built), len(strings), checks,
           len(mismatches)))
    for name, kind, text, want, have in mismatches[:20]:
        print("MISMATCH %s %s: %r\n  tokenizers: %r\n  rlg:        %r" %
              (name, kind, text, want, have))
    if args.keep:
        print("tokenizers kept in %s" % root)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
