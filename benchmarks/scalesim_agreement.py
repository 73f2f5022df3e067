"""tapeout's SCALE-Sim model (tapeout.arch.scalesim) against SCALE-Sim itself (PyPI scalesim) on many shapes.

For every case (the README's shapes, then seeded random GEMMs and arrays, each dataflow) SCALE-Sim runs
stall-free and its COMPUTE_REPORT.csv is compared with the model: "Total Cycles" against the model's
reported count (cycles - 1), "Compute Util %" and "Mapping Efficiency %". Prints a summary per dataflow
and every disagreement; writes benchmarks/results/scalesim_agreement.json; asserts nothing.

Needs `pip install scalesim` (an optional extra). Run: .venv/bin/python benchmarks/scalesim_agreement.py
"""

import json
import platform
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

import numpy as np

from tapeout.arch.scalesim import DATAFLOWS, scalesim_gemm
from tapeout.arch.scalesim_reference import run_scalesim

SEED = 19
RANDOM_CASES_PER_DATAFLOW = 20
FIXED = [(64, 64, 64, 4, 4), (100, 30, 70, 16, 16), (16, 4, 4, 4, 4), (16, 16, 4, 4, 4), (16, 64, 4, 4, 4),
         (16, 256, 4, 4, 4)]


def cases():
    rng = np.random.default_rng(SEED)
    for flow in DATAFLOWS:
        for shape in FIXED:
            yield (*shape, flow)
        for _ in range(RANDOM_CASES_PER_DATAFLOW):
            m, k, n = (int(v) for v in rng.integers(1, 49, 3))
            rows, cols = (int(v) for v in rng.choice([2, 3, 4, 8, 16], 2))
            yield m, k, n, rows, cols, flow


def main():
    results, started = [], time.perf_counter()
    for m, k, n, rows, cols, flow in cases():
        report = run_scalesim(m, k, n, rows, cols, flow)
        g = scalesim_gemm(m, k, n, rows, cols, flow)
        results.append({
            "m": m, "k": k, "n": n, "rows": rows, "cols": cols, "dataflow": flow,
            "model_cycles": g.cycles, "model_reported_cycles": g.reported_cycles,
            "scalesim_total_cycles": report.total_cycles, "scalesim_stall_cycles": report.stall_cycles,
            "cycles_agree": report.total_cycles == g.reported_cycles,
            "compute_util_agrees": abs(report.compute_util_percent - 100 * g.reported_compute_utilization) < 1e-6,
            "mapping_efficiency_agrees":
                abs(report.mapping_efficiency_percent - 100 * g.mapping_efficiency) < 1e-6,
        })
    wall = time.perf_counter() - started
    print(f"SCALE-Sim (PyPI scalesim) against tapeout.arch.scalesim, {len(results)} cases, {wall:.0f} s")
    print(f"{'flow':4} {'cases':>5} {'cycles agree':>12} {'compute util':>12} {'mapping eff':>11}")
    for flow in DATAFLOWS:
        rows = [r for r in results if r["dataflow"] == flow]
        agree = [sum(r[key] for r in rows) for key in ("cycles_agree", "compute_util_agrees",
                                                        "mapping_efficiency_agrees")]
        print(f"{flow:4} {len(rows):>5} {agree[0]:>12} {agree[1]:>12} {agree[2]:>11}")
    for r in results:
        if not (r["cycles_agree"] and r["compute_util_agrees"] and r["mapping_efficiency_agrees"]):
            print(f"disagrees: {r}")
    out = Path(__file__).parent / "results" / "scalesim_agreement.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": date.today().isoformat(), "machine": platform.platform(),
                               "scalesim_version": version("scalesim"), "seed": SEED, "wall_s": round(wall, 1),
                               "results": results}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
