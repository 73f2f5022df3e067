"""The serving model (tapeout.serve) against public LLM-serving figures (sources in
tapeout/serve/public_figures.py).

1. Llama-2-70B FP16 on 2 x H100-class at tp 2, batch 1, prompt 2,048, output 256: time per output token.
   Public: 140 GB of weights over 2 x 3.35 TB/s = 21 ms. Chips: the H100 SXM datasheet, and the h100_like
   preset as the package model builds it (designs/h100_like.toml).
2. TensorRT-LLM 0.5.0's measured H100 FP8 output tokens/s (static batching) against the ideal model (no
   derates) and the derated one; FP8 KV cache (and, to show why, the ideal with an FP16 one).
3. NVIDIA NIM, Llama-3.3-70B FP8 on 2 x H100, tp 2, concurrency 1: inter-token latency against the model.

Prints the tables; writes benchmarks/results/serving_public_figures.json; asserts nothing.
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
from tapeout.serve.models import PRESETS
from tapeout.serve.public_figures import H100_SXM, nim_comparison, trtllm_comparison
from tapeout.serve.roofline import IDEAL, Derates
from tapeout.serve.serving import ServingSetup, run_batch
from tapeout.serve.settings import HOP_LATENCY_US, NVLINK5_GBPS_PER_LINK

ROOT = Path(__file__).resolve().parents[1]


def preset_chip(name: str) -> ServingChip:
    """A preset's package as the package stage models it (its [package] states the signed-off tile)."""
    design = tomllib.loads((ROOT / "designs" / f"{name}.toml").read_text())
    spec = PackageSpec(**design["package"])
    core = design["tensor_core"]
    package = result_to_json(evaluate_package(spec, spec.stated_tile(core["rows"] * core["cols"])))
    serve = design.get("serve", {})
    return chip_from_reports(name, {"array": {"in_width_bits": core.get("in_width", 8)}}, package,
                             serve.get("link_gbps_per_phy", NVLINK5_GBPS_PER_LINK),
                             serve.get("link_latency_us", HOP_LATENCY_US))


def main():
    decode = []
    for chip in (H100_SXM, preset_chip("h100_like")):
        for derates, label in ((IDEAL, "ideal"), (Derates(), "derated")):
            setup = ServingSetup(PRESETS["llama-2-70b"], chip, tp=2, prompt=2048, output=256, derates=derates)
            decode.append({"chip": chip.name, "model": label, "tpot_ms": run_batch(setup, 1).tpot_s * 1e3})
    print("1. Llama-2-70B FP16, 2 x H100-class, tp 2, batch 1 (public: 140 GB / (2 x 3.35 TB/s) = 21 ms/token)")
    for row in decode:
        print(f"   {row['chip']:22} {row['model']:8} TPOT {row['tpot_ms']:6.2f} ms")

    ideal, derated = trtllm_comparison(IDEAL), trtllm_comparison(Derates())
    fp16_kv = trtllm_comparison(IDEAL, kv_bits=16)
    print("\n2. TensorRT-LLM 0.5.0, H100 FP8, static batching: output tokens/s, measured against the model")
    print(f"   {'model':11} {'batch':>5} {'tp':>2} {'in':>5} {'out':>5} {'measured':>9} {'ideal':>8} "
          f"{'meas/ideal':>10} {'derated':>8} {'meas/der':>8} {'FP16 KV':>7} {'prefill':>7} {'gap us/layer':>12}")
    for i, d, h in zip(ideal, derated, fp16_kv):
        print(f"   {i['model']:11} {i['batch']:>5} {i['tp']:>2} {i['input']:>5} {i['output']:>5} "
              f"{i['measured_tokens_per_s']:>9,} {i['model_tokens_per_s']:>8,.0f} {i['measured_over_model']:>10.2f} "
              f"{d['model_tokens_per_s']:>8,.0f} {d['measured_over_model']:>8.2f} {h['measured_over_model']:>7.2f} "
              f"{100 * i['prefill_share']:>6.0f}% {i['unmodelled_us_per_layer_step']:>12.0f}")

    nim = nim_comparison(IDEAL)
    print("\n3. NIM 1.8.0, Llama-3.3-70B FP8, 2 x H100, tp 2, concurrency 1: inter-token latency")
    for n in nim:
        print(f"   in {n['input']:>5} out {n['output']:>5}: measured {n['measured_itl_ms']:.2f} ms, ideal model "
              f"{n['model_tpot_ms']:.2f} ms -> measured speed {n['measured_speed_over_model']:.2f} of ideal")

    out = ROOT / "benchmarks" / "results" / "serving_public_figures.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": date.today().isoformat(), "machine": platform.platform(),
                               "llama_2_70b_decode": decode, "trtllm_h100_fp8_ideal": ideal,
                               "trtllm_h100_fp8_derated": derated, "trtllm_h100_fp8_ideal_fp16_kv": fp16_kv,
                               "nim_llama_3_3_70b": nim}, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
