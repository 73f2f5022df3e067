"""STA propagation speed on a synthetic netlist of the tap130 library.

Builds a random levelised netlist (``--cells`` cells, a tenth of them DFF_1, the rest
INV_1/NAND2_1/NOR2_1 drawing inputs from earlier outputs), estimates wires from
random placement, and times graph construction, wire timing and one setup plus
one hold propagation (after a warm-up run that compiles the numba kernels).
Prints a table and writes ``benchmarks/results/sta.json``. Asserts nothing.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np

from tapeout.signoff.constraints import parse_sdc
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import estimate_parasitics
from tapeout.signoff.sta import run_sta
from tapeout.tech.library import default_library


def synthetic_graph(n_cells, seed):
    """A random flop/gate netlist as a TimingGraph, with random pin positions (um)."""
    rng = np.random.default_rng(seed)
    lib = default_library()
    types = [lib["DFF_1"], lib["INV_1"], lib["NAND2_1"], lib["NOR2_1"]]
    n_ff = max(n_cells // 10, 1)
    kinds = np.concatenate([np.zeros(n_ff, int), rng.integers(1, 4, n_cells - n_ff)])
    pin_cell, pin_names, driver = [], [], []
    outputs, inputs_of = [], []
    for c, k in enumerate(kinds):
        cell_inputs = []
        for pin in types[k].pins.values():
            pin_cell.append(c)
            pin_names.append(pin.name)
            driver.append(pin.direction == "output")
            if pin.direction == "output":
                outputs.append(len(pin_cell) - 1)
            elif not pin.is_clock:
                cell_inputs.append(len(pin_cell) - 1)
        inputs_of.append(cell_inputs)
    clk = len(pin_cell)
    pin_cell.append(-1)
    pin_names.append("clk")
    driver.append(True)
    sinks = [[] for _ in outputs]
    for c in range(n_cells):
        for pin in inputs_of[c]:
            # flops take any output; gates only outputs of earlier cells (no loops)
            hi = len(outputs) if c < n_ff else c
            sinks[int(rng.integers(0, hi))].append(pin)
    clock_pins = [p for p in range(clk) if pin_names[p] == "CLK"]
    net_ptr, net_pins = [0], []
    for out, s in zip(outputs, sinks):
        net_pins += [out] + s
        net_ptr.append(len(net_pins))
    net_pins += [clk] + clock_pins
    net_ptr.append(len(net_pins))
    graph = TimingGraph(types, [f"c{i}" for i in range(n_cells)], kinds, pin_cell, pin_names,
                        driver, [f"n{i}" for i in range(len(net_ptr) - 1)], net_ptr, net_pins)
    side = np.sqrt(n_cells * 8.0)
    xy = rng.uniform(0, side, (2, n_cells))
    px = np.where(np.array(pin_cell) >= 0, xy[0][np.maximum(pin_cell, 0)], 0.0)
    py = np.where(np.array(pin_cell) >= 0, xy[1][np.maximum(pin_cell, 0)], 0.0)
    return graph, px, py


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    constraints = parse_sdc("create_clock -name clk -period 5 [get_ports clk]\n")
    rows = []
    for n in args.cells:
        t0 = time.perf_counter()
        graph, px, py = synthetic_graph(n, args.seed)
        t1 = time.perf_counter()
        parasitics = estimate_parasitics(graph, px, py)
        t2 = time.perf_counter()
        run_sta(graph, constraints, parasitics)  # warm-up: numba compilation
        t3 = time.perf_counter()
        report = run_sta(graph, constraints, parasitics)
        t4 = time.perf_counter()
        rows.append({"cells": n, "pins": graph.n_pins, "nets": graph.n_nets,
                     "graph_s": t1 - t0, "parasitics_s": t2 - t1, "first_sta_s": t3 - t2,
                     "sta_s": t4 - t3, "wns_ns": report.wns_ns, "endpoints": len(report.endpoints)})
    print(f"{'cells':>7} {'pins':>7} {'graph s':>8} {'rc s':>7} {'1st sta s':>9} {'sta s':>7} "
          f"{'WNS ns':>8} {'endpts':>7}")
    for r in rows:
        print(f"{r['cells']:>7} {r['pins']:>7} {r['graph_s']:>8.3f} {r['parasitics_s']:>7.3f} "
              f"{r['first_sta_s']:>9.3f} {r['sta_s']:>7.3f} {r['wns_ns']:>8.3f} {r['endpoints']:>7}")
    out = Path(__file__).parent / "results" / "sta.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"seed": args.seed, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
