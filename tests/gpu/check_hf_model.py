#!/usr/bin/env python3
"""Checks rlg-hf-logits against transformers on small random models.

Usage: check_hf_model.py RLG_HF_LOGITS_BINARY [--workdir DIR] [--no-cuda]

For a Qwen2 model (grouped-query attention, q/k/v biases, untied head) and
a Llama model (grouped-query attention, tied embeddings, llama3 RoPE
scaling), randomly initialised with transformers and saved with
save_pretrained in float32 and bfloat16:

  1. the binary's float32 CPU logits against transformers' float32 logits
     (max |difference| must stay below 1e-4);
  2. the binary's bfloat16 CUDA logits (autocast over the bf16 weights)
     against transformers' bfloat16 CUDA logits and against transformers'
     float32 logits of the same bf16 weights (max |difference| reported,
     and relative to the largest |logit|; must stay below 5e-2);
  3. the folders the binary saves back (--save-to, float32 and bfloat16)
     loaded with AutoModelForCausalLM.from_pretrained: no missing,
     unexpected or misshapen weights, the same tensors bit for bit, and the
     same logits.

Prints every maximum difference; exits 1 when one is beyond its tolerance.
"""

import argparse
import copy
import os
import subprocess
import sys
import tempfile

import torch
import transformers
from safetensors.torch import load_file
from transformers import (AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM,
                          Qwen2Config, Qwen2ForCausalLM)

FP32_TOLERANCE = 1e-4
BF16_RELATIVE_TOLERANCE = 5e-2
SAVED_FP32_TOLERANCE = 1e-5
VOCAB = 512
TRANSFORMERS_5 = int(transformers.__version__.split(".")[0]) >= 5

failures = []


def report(label, difference, tolerance, scale=None, counts=True):
    """Prints one maximum difference and records it when beyond tolerance
    (unless it is only there for scale)."""
    text = f"{label}: max |diff| {difference:.3e}"
    value = difference
    if scale is not None:
        value = difference / scale
        text += f", relative to max |logit| {scale:.3f}: {value:.3e}"
    ok = value <= tolerance
    verdict = ("ok" if ok else "OVER") if counts else "not checked,"
    print(f"  {text} ({verdict} {tolerance:.0e})")
    if counts and not ok:
        failures.append(label)


def rope_kwargs(theta, scaling):
    """RoPE keyword arguments in the spelling of the installed transformers."""
    if TRANSFORMERS_5:
        params = {"rope_type": "default", "rope_theta": theta}
        if scaling:
            params.update(scaling)
        return {"rope_parameters": params}
    return {"rope_theta": theta, "rope_scaling": scaling}


def qwen2_model():
    config = Qwen2Config(
        vocab_size=VOCAB, hidden_size=128, intermediate_size=352,
        num_hidden_layers=3, num_attention_heads=8, num_key_value_heads=2,
        max_position_embeddings=256, rms_norm_eps=1e-6,
        tie_word_embeddings=False, use_sliding_window=False,
        initializer_range=0.05, bos_token_id=1, eos_token_id=2,
        **rope_kwargs(1e6, None))
    return Qwen2ForCausalLM(config)


def llama_model():
    # Head size 16, original context 64: the highest frequency is kept, the
    # next one blended, the lower ones divided by the factor.
    scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
               "high_freq_factor": 4.0,
               "original_max_position_embeddings": 64}
    config = LlamaConfig(
        vocab_size=VOCAB, hidden_size=128, intermediate_size=344,
        num_hidden_layers=3, num_attention_heads=8, num_key_value_heads=2,
        max_position_embeddings=1024, rms_norm_eps=1e-5,
        tie_word_embeddings=True, attention_bias=False, mlp_bias=False,
        initializer_range=0.05, bos_token_id=1, eos_token_id=[2, 3],
        **rope_kwargs(500000.0, scaling))
    return LlamaForCausalLM(config)


def randomise_norms_and_biases(model, generator):
    """Norm scales and biases away from their 1 and 0 initialisation."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            noise = torch.randn(param.shape, generator=generator)
            if "norm" in name:
                param.copy_(1 + 0.2 * noise)
            elif name.endswith("bias"):
                param.copy_(0.2 * noise)


def hf_logits(model, ids, device):
    model = model.to(device).eval()
    with torch.no_grad():
        out = model(input_ids=ids.to(device),
                    attention_mask=torch.ones_like(ids).to(device))
    return out.logits.float().cpu()


def load(path, dtype):
    """from_pretrained, checking that every weight was found and used."""
    model, info = AutoModelForCausalLM.from_pretrained(
        path, dtype=dtype, attn_implementation="eager",
        output_loading_info=True) if TRANSFORMERS_5 else \
        AutoModelForCausalLM.from_pretrained(
            path, torch_dtype=dtype, attn_implementation="eager",
            output_loading_info=True)
    tied = model.config.tie_word_embeddings
    problems = {}
    for kind in ("missing_keys", "unexpected_keys", "mismatched_keys",
                 "error_msgs"):
        keys = [k for k in (info.get(kind) or [])
                if not (tied and kind == "missing_keys"
                        and str(k) == "lm_head.weight")]
        if keys:
            problems[kind] = keys
    if problems:
        print(f"  loading {path}: {problems}")
        failures.append(f"loading {path}")
    return model


def run_binary(binary, model_dir, ids, out, extra):
    command = [binary, model_dir, "--out", out] + extra
    for row in ids.tolist():
        command += ["--ids", " ".join(str(i) for i in row)]
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stdout.write("  " + result.stdout.replace("\n", "\n  ").rstrip() + "\n")
    if result.returncode != 0:
        sys.stdout.write(result.stderr)
        raise SystemExit(f"{binary} failed with exit code {result.returncode}")
    return load_file(out)["logits"]


def same_tensors(label, left_dir, right_dir):
    """The safetensors weights of two folders, bit for bit."""
    def tensors(path):
        out = {}
        for name in sorted(os.listdir(path)):
            if name.endswith(".safetensors"):
                out.update(load_file(os.path.join(path, name)))
        return out
    left, right = tensors(left_dir), tensors(right_dir)
    names_ok = sorted(left) == sorted(right)
    equal = names_ok and all(
        left[n].dtype == right[n].dtype and torch.equal(left[n], right[n])
        for n in left)
    print(f"  {label}: {len(right)} tensors {'bit-identical' if equal else 'DIFFER'}")
    if not equal:
        if not names_ok:
            print(f"    names only in transformers': {sorted(set(left) - set(right))}; "
                  f"only in rlg's: {sorted(set(right) - set(left))}")
        failures.append(label)


def check(name, make_model, binary, workdir, cuda):
    print(f"== {name}")
    torch.manual_seed(1234)
    generator = torch.Generator().manual_seed(99)
    model = make_model()
    randomise_norms_and_biases(model, generator)
    model.eval()
    base = os.path.join(workdir, name)
    f32_dir, bf16_dir = base + "-f32", base + "-bf16"
    model.save_pretrained(f32_dir, safe_serialization=True)
    copy.deepcopy(model).to(torch.bfloat16).save_pretrained(
        bf16_dir, safe_serialization=True)
    ids = torch.randint(0, VOCAB, (3, 48), generator=generator)

    # 1. float32 on the CPU.
    reference = hf_logits(model, ids, "cpu")
    scale = reference.abs().max().item()
    ours = run_binary(binary, f32_dir, ids, base + "-f32.logits",
                      ["--device", "cpu", "--save-to", base + "-rlg-f32",
                       "--save-dtype", "f32"])
    report("fp32 cpu logits vs transformers fp32",
           (ours - reference).abs().max().item(), FP32_TOLERANCE)

    # 3a. The float32 folder rlg saved.
    same_tensors("rlg-saved fp32 weights vs save_pretrained's", f32_dir,
                 base + "-rlg-f32")
    reloaded = load(base + "-rlg-f32", torch.float32)
    report("transformers fp32 logits from the rlg-saved folder",
           (hf_logits(reloaded, ids, "cpu") - reference).abs().max().item(),
           SAVED_FP32_TOLERANCE)

    if not cuda:
        print("  (no CUDA: bf16 checks skipped)")
        return
    # 2. bfloat16 on CUDA.
    ours_bf16 = run_binary(binary, bf16_dir, ids, base + "-bf16.logits",
                           ["--device", "cuda", "--precision", "bf16",
                            "--save-to", base + "-rlg-bf16",
                            "--save-dtype", "bf16"])
    hf_bf16 = hf_logits(load(bf16_dir, torch.bfloat16), ids, "cuda")
    hf_fp32_of_bf16 = hf_logits(load(bf16_dir, torch.float32), ids, "cpu")
    scale = hf_fp32_of_bf16.abs().max().item()
    report("bf16 cuda logits vs transformers bf16 cuda",
           (ours_bf16 - hf_bf16).abs().max().item(), BF16_RELATIVE_TOLERANCE,
           scale)
    report("bf16 cuda logits vs transformers fp32 (same bf16 weights)",
           (ours_bf16 - hf_fp32_of_bf16).abs().max().item(),
           BF16_RELATIVE_TOLERANCE, scale)
    report("(for scale) transformers bf16 cuda vs its fp32",
           (hf_bf16 - hf_fp32_of_bf16).abs().max().item(),
           BF16_RELATIVE_TOLERANCE, scale, counts=False)

    # 3b. The bfloat16 folder rlg saved.
    same_tensors("rlg-saved bf16 weights vs save_pretrained's", bf16_dir,
                 base + "-rlg-bf16")
    reloaded = hf_logits(load(base + "-rlg-bf16", torch.bfloat16), ids, "cuda")
    report("transformers bf16 cuda logits from the rlg-saved folder",
           (reloaded - hf_bf16).abs().max().item(), BF16_RELATIVE_TOLERANCE,
           scale)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", help="the rlg-hf-logits executable")
    parser.add_argument("--workdir", help="keep the folders here")
    parser.add_argument("--no-cuda", action="store_true")
    args = parser.parse_args()
    cuda = torch.cuda.is_available() and not args.no_cuda
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"cuda {'yes' if cuda else 'no'}")
    workdir = args.workdir or tempfile.mkdtemp(prefix="rlg-hf-check-")
    os.makedirs(workdir, exist_ok=True)
    check("qwen2", qwen2_model, args.binary, workdir, cuda)
    check("llama", llama_model, args.binary, workdir, cuda)
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("all within tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
