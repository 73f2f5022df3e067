"""Public LLM-serving measurements on H100, and the serving model on the same setups, to check it.

* NVIDIA H100 SXM, datasheet (2023): 1,979 dense FP8/INT8 TFLOPS (989 FP16), 80 GB HBM3 at 3.35 TB/s,
  50 MB L2, NVLink 4 at 900 GB/s.
* TensorRT-LLM release 0.5.0, ``docs/source/performance.md``, "High Throughput", "H100 GPUs (FP8)": output
  tokens/s of static batches. FP8 weights and activations; the KV cache must have been FP8 too: with an
  FP16 cache the 7B rows with 2,048 output tokens would beat the ideal roofline (1.14x and 1.23x), which
  no system can. ("LLaMA 7B" has Llama-2-7B's shape; "LLaMA 70B" at GQA 8 is Llama-2-70B.)
* NVIDIA NIM LLM benchmarking 1.0.0, "Performance", Llama-3.3-70B-Instruct 1.8.0, FP8, 2 x H100 80G at
  tp 2, concurrency 1: inter-token latency. Llama-3.3-70B has Llama-2-70B's shape with a 128,256-token
  vocabulary and a 128K context.
"""

from __future__ import annotations

from .chip import ServingChip
from .models import PRESETS, TransformerModel, with_shape
from .roofline import IDEAL, Derates
from .serving import ServingSetup, run_batch

H100_SXM = ServingChip("H100 SXM (datasheet)", 1979e12, 8, 3.35e12, 80e9, 50 * 2 ** 20, 900e9, 2e-6)

TRTLLM_H100_FP8 = (
    # (model, batch, tp, input tokens, output tokens, measured output tokens/s)
    ("llama-2-7b", 64, 1, 128, 128, 9_193), ("llama-2-7b", 64, 1, 128, 2048, 5_367),
    ("llama-2-7b", 64, 1, 2048, 128, 2_058), ("llama-2-7b", 32, 1, 2048, 2048, 2_230),
    ("llama-2-70b", 64, 4, 128, 128, 3_317), ("llama-2-70b", 64, 4, 128, 2048, 2_616),
    ("llama-2-70b", 64, 4, 2048, 128, 843), ("llama-2-70b", 64, 4, 2048, 2048, 1_583),
)

NIM_LLAMA_33_70B_FP8_TP2 = (
    # (input tokens, output tokens, measured inter-token latency in ms), concurrency 1
    (5000, 500, 18.58), (500, 2000, 18.91),
)

LLAMA_33_70B: TransformerModel = with_shape(PRESETS["llama-2-70b"], vocab=128256, max_context=131072)


def trtllm_comparison(derates: Derates = IDEAL, kv_bits: int = 8) -> list[dict]:
    """Each TensorRT-LLM row beside the model's output tokens/s on the datasheet H100 (FP8 weights and
    activations, ``kv_bits`` KV cache), and the time per layer and step the model does not account for."""
    rows = []
    for name, batch, tp, prompt, output, measured in TRTLLM_H100_FP8:
        model = with_shape(PRESETS[name], weight_bits=8, kv_bits=kv_bits)
        setup = ServingSetup(model, H100_SXM, tp=tp, prompt=prompt, output=output, act_bits=8, derates=derates)
        r = run_batch(setup, batch)
        modelled = r.output_tokens_per_s(output)
        measured_s = batch * output / measured
        rows.append({"model": name, "batch": batch, "tp": tp, "input": prompt, "output": output,
                     "measured_tokens_per_s": measured, "model_tokens_per_s": modelled,
                     "measured_over_model": measured / modelled, "fits": r.fits,
                     "prefill_share": r.ttft_s / r.e2e_s,
                     "unmodelled_us_per_layer_step": (measured_s - r.e2e_s) / (model.layers * output) * 1e6})
    return rows


def nim_comparison(derates: Derates = IDEAL) -> list[dict]:
    """Each NIM row beside the model's mean time per output token (FP8, batch 1, tp 2)."""
    model = with_shape(LLAMA_33_70B, weight_bits=8)
    rows = []
    for prompt, output, measured_ms in NIM_LLAMA_33_70B_FP8_TP2:
        setup = ServingSetup(model, H100_SXM, tp=2, prompt=prompt, output=output, act_bits=8, derates=derates)
        tpot_ms = run_batch(setup, 1).tpot_s * 1e3
        rows.append({"input": prompt, "output": output, "measured_itl_ms": measured_ms, "model_tpot_ms": tpot_ms,
                     "measured_speed_over_model": tpot_ms / measured_ms})
    return rows
