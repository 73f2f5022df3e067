"""Measured cycles and PE utilisation of the RTL systolic array (Amaranth simulator),
next to the pipelined cycle model (tapeout.arch.pipelined) and SCALE-Sim's
non-overlapped reference (tapeout.arch.scalesim).

For each dataflow and temporal length T (K for OS, M for WS) from rows to 64*rows,
a GEMM of 4 folds runs back to back on a 4x4 INT8 array; "steady" is the
utilisation of the 3 folds after the first (work of 3 folds over the extra clocks
they cost compared with a 1-fold GEMM). Prints a table and writes
benchmarks/results/rtl_utilization.json. Run: .venv/bin/python benchmarks/rtl_utilization.py
"""

import json
import platform
from pathlib import Path

import numpy as np

from tapeout.arch.pipelined import pipelined_gemm_cycles
from tapeout.rtl import golden
from tapeout.rtl.drivers import run_array
from tapeout.rtl.systolic_array import SystolicArray

try:
    from tapeout.arch.scalesim import scalesim_cycles
except ImportError:  # the reference model is optional
    scalesim_cycles = None

ROWS = COLS = 4
SEED = 2024


def shape(dataflow, temporal, folds):
    """(M, K, N) of a GEMM with ``folds`` folds of temporal length ``temporal``."""
    if dataflow == "os":
        return ROWS * folds, temporal, COLS          # folds along M
    return temporal, ROWS * folds, COLS              # folds along K


def measure(dataflow, m, k, n, rng):
    a, b = rng.integers(-128, 128, (m, k)), rng.integers(-128, 128, (k, n))
    fold = golden.os_tiles if dataflow == "os" else golden.ws_tiles
    tiles = fold(a, b, ROWS, COLS)
    results, cycles = run_array(SystolicArray(ROWS, COLS, dataflow=dataflow), [(t[2], t[3]) for t in tiles])
    if dataflow == "os":
        c = golden.assemble_os(tiles, results, (m, n))
    else:
        c = golden.assemble_ws(tiles, results, (m, n))
    if not np.array_equal(c, golden.gemm(a, b)):
        raise RuntimeError(f"wrong result for {dataflow} {m}x{k}x{n} (seed {SEED})")
    return cycles


def main():
    rng = np.random.default_rng(SEED)
    rows = []
    for dataflow in ("os", "ws"):
        for temporal in (ROWS, 4 * ROWS, 16 * ROWS, 64 * ROWS):
            m, k, n = shape(dataflow, temporal, 4)
            cycles = measure(dataflow, m, k, n, rng)
            single = measure(dataflow, *shape(dataflow, temporal, 1), rng)
            model = pipelined_gemm_cycles(m, k, n, ROWS, COLS, dataflow)
            reference = scalesim_cycles(m, k, n, ROWS, COLS, dataflow) if scalesim_cycles else None
            rows.append({
                "dataflow": dataflow, "m": m, "k": k, "n": n, "temporal": temporal,
                "cycles": cycles, "model_cycles": model, "model_error": (cycles - model) / model,
                "scalesim_cycles": reference,
                "utilization": m * k * n / (ROWS * COLS * cycles),
                "steady_utilization": 3 * temporal / (cycles - single),
            })
    header = f"{'flow':4} {'M':>4} {'K':>4} {'N':>3} {'cycles':>7} {'model':>7} {'err':>6} " \
             f"{'scalesim':>8} {'util':>6} {'steady':>6}"
    print(f"RTL systolic array {ROWS}x{COLS}, 4 folds back to back (Amaranth simulator)")
    print(header)
    for row in rows:
        reference = row["scalesim_cycles"] if row["scalesim_cycles"] is not None else "-"
        print(f"{row['dataflow']:4} {row['m']:>4} {row['k']:>4} {row['n']:>3} {row['cycles']:>7} "
              f"{row['model_cycles']:>7} {row['model_error']:>6.1%} {reference:>8} "
              f"{row['utilization']:>6.3f} {row['steady_utilization']:>6.3f}")
    out = Path(__file__).parent / "results" / "rtl_utilization.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rows": ROWS, "cols": COLS, "seed": SEED, "machine": platform.platform(),
                               "results": rows}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
