"""The flow's timing against OpenSTA's on the same Verilog + Liberty + SPEF + SDC.

For each design (default: the shipped default design `tc4x4` and the own-Verilog `counter`) the flow
runs up to signoff (cached stages are reused), OpenSTA sources the signoff folder's `opensta.tcl`
(those files alone) and reports every endpoint's worst setup and hold slack and every pin's slew;
the flow re-times the same files (its SPEF read back with the SPEF reader). Prints, per design: the
endpoints compared, the largest and mean |flow - OpenSTA| endpoint slack difference for setup and
for hold, both worst slacks, the largest clock-pin slew difference, OpenSTA's warnings, and the
time each takes. Writes ``benchmarks/results/sta_vs_opensta.json``. Needs `sta` on PATH
(apt-get install opensta); asserts nothing.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from tapeout.flow.cli import main as tapeout
from tapeout.flow.config import find_design, load_design
from tapeout.signoff.opensta import compare_endpoints, flow_timing, opensta_binary, run_opensta, sta_pin_name

ROOT = Path(__file__).resolve().parent.parent


def measure(design: str, build: Path) -> dict:
    if tapeout(["run", "signoff", "-d", design, "--build-dir", str(build), "--allow-violations"]) != 0:
        raise SystemExit(f"the flow failed on {design}")
    config = load_design(find_design(design, ROOT / "designs"))
    top, folder = config.design.top, build / config.name
    start = time.perf_counter()
    theirs = run_opensta(folder / "signoff")
    sta_s = time.perf_counter() - start
    start = time.perf_counter()
    ours, graph = flow_timing(folder, top)
    ours_s = time.perf_counter() - start
    agreement = compare_endpoints(ours, theirs)
    labels = graph.pin_labels()
    clock = [abs(ours.pin_slew_ns[p] - theirs.slew_ns[sta_pin_name(labels[p])])
             for p in np.flatnonzero(graph.pin_is_clock) if sta_pin_name(labels[p]) in theirs.slew_ns]
    warnings = [line for line in theirs.log.splitlines() if line.startswith(("Warning", "Error"))]
    return {
        "design": config.name, "cells": graph.n_cells, "endpoints": len(ours.endpoints),
        "compared_setup": len(agreement.setup_diff_ns), "compared_hold": len(agreement.hold_diff_ns),
        "missing_in_opensta": agreement.missing[:10],
        "setup_max_ps": float(np.abs(agreement.setup_diff_ns).max() * 1e3),
        "setup_mean_ps": float(np.abs(agreement.setup_diff_ns).mean() * 1e3),
        "hold_max_ps": float(np.abs(agreement.hold_diff_ns).max() * 1e3),
        "hold_mean_ps": float(np.abs(agreement.hold_diff_ns).mean() * 1e3),
        "flow_wns_ns": ours.wns_ns, "opensta_wns_ns": theirs.setup_ws_ns,
        "flow_hold_ns": ours.hold_ws_ns, "opensta_hold_ns": theirs.hold_ws_ns,
        "clock_pins": len(clock), "clock_slew_max_ps": float(max(clock, default=0.0) * 1e3),
        "opensta_warnings": warnings, "flow_sta_s": ours_s, "opensta_s": sta_s,
        "worst": [list(w) for w in agreement.worst[:5]],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", nargs="+", default=["tc4x4", "counter"])
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    args = parser.parse_args()
    if opensta_binary() is None:
        raise SystemExit("OpenSTA is not installed (apt-get install opensta); nothing measured")
    rows = [measure(d, Path(args.build_dir)) for d in args.designs]
    print("| design | cells | endpoints | setup max / mean |diff| | hold max / mean |diff| | WNS flow / OpenSTA "
          "| hold WS flow / OpenSTA | clock-pin slew max |diff| | OpenSTA warnings | time flow / OpenSTA |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['design']} | {r['cells']:,} | {r['compared_setup']:,} / {r['compared_hold']:,} "
              f"| {r['setup_max_ps']:.3f} / {r['setup_mean_ps']:.3f} ps | {r['hold_max_ps']:.3f} / "
              f"{r['hold_mean_ps']:.3f} ps | {r['flow_wns_ns']:.4f} / {r['opensta_wns_ns']:.4f} ns "
              f"| {r['flow_hold_ns']:.4f} / {r['opensta_hold_ns']:.4f} ns | {r['clock_slew_max_ps']:.3f} ps "
              f"({r['clock_pins']:,} pins) | {len(r['opensta_warnings'])} | {r['flow_sta_s']:.1f} s / "
              f"{r['opensta_s']:.1f} s |")
    out = ROOT / "benchmarks" / "results" / "sta_vs_opensta.json"
    out.parent.mkdir(exist_ok=True)
    machine = {"machine": platform.machine(), "python": platform.python_version(),
               "loadavg": Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None,
               "date": time.strftime("%Y-%m-%d")}
    out.write_text(json.dumps({"machine": machine, "designs": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
