"""Simulated clocks per second of the GEMM testbench, and build time, on Verilator and Icarus.

Builds the systolic array testbench block from scratch in a temporary folder on each
available simulator (timed), then runs the random GEMM test; the clocks simulated
come from cocotb's results (simulated time / clock period) and the wall time from
cocotb's per-test time. Prints a table, writes benchmarks/results/sim_speed.json.

    python benchmarks/sim_speed.py [--effort N] [--seed S]
"""

import argparse
import json
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from tapeout.verify.bench import CLOCK_NS
from tapeout.verify.regression import build_block, run_block
from tapeout.verify.simulators import VERILATOR_MAKEFLAGS, available_simulators

BLOCK, TEST = "systolic_array", "gemm_random"


def measure(sim, effort, seed, work):
    start = time.perf_counter()
    build_block(BLOCK, sim, work / "cache")
    build_s = time.perf_counter() - start
    run = run_block(BLOCK, sim, work / sim, seed, work / "cache", effort=effort, testcase=TEST,
                    with_coverage=False)
    case = ET.parse(run["results"]).getroot().find(".//testcase")
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    clocks = float(props["sim_time_duration"]) / CLOCK_NS   # sim_time_unit is ns
    wall = float(case.get("time"))
    return {"sim": sim, "build_s": round(build_s, 2), "clocks": int(clocks), "run_s": round(wall, 3),
            "clocks_per_s": round(clocks / wall), "failures": run["failures"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--effort", type=int, default=200, help="random GEMMs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for sim in available_simulators():
            rows.append(measure(sim, args.effort, args.seed, Path(tmp)))
    print(f"{'simulator':<10} {'build s':>8} {'clocks':>8} {'run s':>7} {'clocks/s':>9}")
    for row in rows:
        print(f"{row['sim']:<10} {row['build_s']:>8} {row['clocks']:>8} {row['run_s']:>7} "
              f"{row['clocks_per_s']:>9}")
    out = Path(__file__).parent / "results" / "sim_speed.json"
    out.write_text(json.dumps({"block": BLOCK, "test": TEST, "effort": args.effort,
                               "verilator_makeflags": VERILATOR_MAKEFLAGS, "results": rows},
                              indent=2) + "\n")


if __name__ == "__main__":
    main()
