"""The serving model (tapeout.serve) against public LLM-serving figures.

1. Llama-2-70B FP16 on 2 x H100-class at tp 2, batch 1: decode time per token. Public: 140 GB of
   weights over 2 x 3.35 TB/s = 21 ms. Chips: the H100 SXM datasheet (NVIDIA, 2023: 989 dense FP16
   TFLOPS, 1,979 FP8, 80 GB HBM3 at 3.35 TB/s, 50 MB L2, NVLink 4 900 GB/s) and the h100_like preset
   as the package model builds it (designs/h100_like.toml).
2. TensorRT-LLM's measured H100 FP8 throughputs with static batching (NVIDIA TensorRT-LLM release 0.5.0,
   docs/source/performance.md, "High Throughput", H100 GPUs (FP8)): output tokens/s against the ideal
   model (no derates) and the derated one, same batch, tp, input and output lengths; FP8 weights and
   activations, FP16 KV cache.
3. NVIDIA NIM for Llama-3.3-70B-Instruct FP8 on 2 x H100 at tp 2, concurrency 1 (NIM LLM benchmarking
   1.0.0, "Performance", version 1.8.0): inter-token latency 18.58 ms (5,000 in / 500 out) and 18.91 ms
   (500 / 2,000); the model is Llama-2-70B's shape with Llama 3's vocabulary (128,256) and context.

Prints a table; writes benchmarks/results/serving_public_figures.json; asserts nothing.
Run: .venv/bin/python benchmarks/serving_public_figures.py
"""

import json
import platform
import tomllib
from datetime import date
from pathlib import Path

from tapeout.package.evaluate import evaluate_package
from tapeout.package.report import result_to_json
from tapeout.package.spec import PackageSpec
from tapeout.serve.chip import ServingChip, chip_from_reports
from tapeout.serve.models import PRESETS, with_shape
from tapeout.serve.roofline import IDEAL, Derates
from tapeout.serve.serving import ServingSetup, run_batch
from tapeout.serve.settings import HOP_LATENCY_US

ROOT = Path(__file__).resolve().parents[1]
H100_SXM = ServingChip("H100 SXM (datasheet)", 1979e12, 8, 3.35e12, 80e9, 50 * 2 ** 20, 900e9, HOP_LATENCY_US * 1e-6)

# (model, batch, tp, input, output, measured output tokens/s): TensorRT-LLM 0.5.0, H100 FP8
TRTLLM_H100_FP8 = [
    ("llama-2-7b", 64, 1, 128, 128, 9_193), ("llama-2-7b", 64, 1, 128, 2048, 5_367),
    ("llama-2-7b", 64, 1, 2048, 128, 2_058), ("llama-2-7b", 32, 1, 2048, 2048, 2_230),
    ("llama-2-70b", 64, 4, 128, 128, 3_317), ("llama-2-70b", 64, 4, 128, 2048, 2_616),
    ("llama-2-70b", 64, 4, 2048, 128, 843), ("llama-2-70b", 64, 4, 2048, 2048, 1_583),
]
# (input, output, measured inter-token latency ms): NIM 1.8.0, Llama-3.3-70B FP8, 2 x H100, tp 2, concurrency 1
NIM_LLAMA_33_70B = [(5000, 500, 18.58), (500, 2000, 18.91)]


def preset_chip(name: str) -> ServingChip:
    """A preset's package as the package stage models it (its [package] states the signed-off tile)."""
    design = tomllib.loads((ROOT / "designs" / f"{name}.toml").read_text())
    spec = PackageSpec(**design["package"])
    core = design["tensor_core"]
    package = result_to_json(evaluate_package(spec, spec.stated_tile(core["rows"] * core["cols"])))
    serve = design.get("serve", {})
    return chip_from_reports(name, {"array": {"in_width_bits": core.get("in_width", 8)}}, package,
                             serve.get("link_gbps_per_phy", 100.0), serve.get("link_latency_us", HOP_LATENCY_US))


def main():
    rows = []
    fp16_70b = PRESETS["llama-2-70b"]
    for chip in (H100_SXM, preset_chip("h100_like")):
        for derates, label in ((IDEAL, "ideal"), (Derates(), "derated")):
            r = run_batch(ServingSetup(fp16_70b, chip, tp=2, prompt=2048, output=256, derates=derates), 1)
            rows.append({"check": "llama-2-70b fp16 tp2 batch 1 decode", "chip": chip.name, "model": label,
                         "public": "21 ms/token (140 GB / 2 x 3.35 TB/s)", "tpot_ms": r.tpot_s * 1e3})
    print("1. Llama-2-70B FP16, 2 x H100-class, tp 2, batch 1, prompt 2,048, output 256")
    for row in rows:
        print(f"   {row['chip']:24} {row['model']:8} TPOT {row['tpot_ms']:6.2f} ms   (public: {row['public']})")

    trt = []
    for name, batch, tp, prompt, output, measured in TRTLLM_H100_FP8:
        model = with_shape(PRESETS[name], weight_bits=8, kv_bits=8)
        figures = {}
        for derates, label in ((IDEAL, "ideal"), (Derates(), "derated")):
            setup = ServingSetup(model, H100_SXM, tp=tp, prompt=prompt, output=output, act_bits=8, derates=derates)
            r = run_batch(setup, batch)
            figures[label] = r.output_tokens_per_s(output)
            figures[f"{label}_fits"] = r.fits
            figures[f"{label}_prefill_share"] = r.ttft_s / r.e2e_s
        trt.append({"model": name, "batch": batch, "tp": tp, "input": prompt, "output": output,
                    "measured_tokens_per_s": measured, "ideal_tokens_per_s": figures["ideal"],
                    "derated_tokens_per_s": figures["derated"], "measured_over_ideal": measured / figures["ideal"],
                    "measured_over_derated": measured / figures["derated"], "fits": figures["ideal_fits"],
                    "prefill_share_ideal": figures["ideal_prefill_share"]})
    print("\n2. TensorRT-LLM 0.5.0, H100 FP8 (static batching): output tokens/s, measured against the model")
    print(f"   {'model':11} {'batch':>5} {'tp':>2} {'in':>5} {'out':>5} {'measured':>9} {'ideal':>9} "
          f"{'meas/ideal':>10} {'derated':>9} {'meas/der':>8} {'prefill':>7}")
    for t in trt:
        print(f"   {t['model']:11} {t['batch']:>5} {t['tp']:>2} {t['input']:>5} {t['output']:>5} "
              f"{t['measured_tokens_per_s']:>9,} {t['ideal_tokens_per_s']:>9,.0f} {t['measured_over_ideal']:>10.2f} "
              f"{t['derated_tokens_per_s']:>9,.0f} {t['measured_over_derated']:>8.2f} "
              f"{100 * t['prefill_share_ideal']:>6.0f}%")

    nim = []
    llama_33 = with_shape(PRESETS["llama-2-70b"], vocab=128256, max_context=131072, weight_bits=8)
    for prompt, output, measured_ms in NIM_LLAMA_33_70B:
        setup = ServingSetup(llama_33, H100_SXM, tp=2, prompt=prompt, output=output, act_bits=8, derates=IDEAL)
        r = run_batch(setup, 1)
        nim.append({"input": prompt, "output": output, "measured_itl_ms": measured_ms, "ideal_tpot_ms": r.tpot_s * 1e3,
                    "measured_speed_over_ideal": r.tpot_s * 1e3 / measured_ms})
    print("\n3. NIM 1.8.0, Llama-3.3-70B FP8, 2 x H100, tp 2, concurrency 1: inter-token latency")
    for n in nim:
        print(f"   in {n['input']:>5} out {n['output']:>5}: measured {n['measured_itl_ms']:.2f} ms, ideal model "
              f"{n['ideal_tpot_ms']:.2f} ms -> measured speed {n['measured_speed_over_ideal']:.2f} of ideal")

    out = ROOT / "benchmarks" / "results" / "serving_public_figures.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": date.today().isoformat(), "machine": platform.platform(),
                               "llama_2_70b_decode": rows, "trtllm_h100_fp8": trt, "nim_llama_3_3_70b": nim},
                              indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
