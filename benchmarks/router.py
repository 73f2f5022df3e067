"""Global router benchmark on synthetic placed netlists (1K / 5K / 20K nets).

Cells sit in a 2-D Gaussian cloud over a square die (a congested centre, as a
dense datapath makes), each net's sinks near its driver (locality). The die
area grows with the net count, so the demand per gcell stays alike. Prints
runtime, wirelength against the sum of HPWL, and overflow before and after
negotiation; writes ``benchmarks/results/router.json``.

Run: ``.venv/bin/python benchmarks/router.py [--seed N]``.
"""

import argparse
import json
import os
import platform
import time

import numpy as np

from tapeout.pnr.route.grid import RoutingGrid
from tapeout.pnr.route.negotiated import RoutingProblem, global_route

NET_COUNTS = (1_000, 5_000, 20_000)
UM2_PER_NET = 40.0  # die area per net (um^2): a dense SKY130 HD block (a ~15 um^2 cell at ~40% use)
GCELL_UM = 27.2  # ten 2.72 um SKY130 HD rows
SINK_SIGMA_UM = 25.0  # spread of a net's sinks around its driver


def synthetic_problem(n_nets, seed):
    """A placed netlist: drivers in a Gaussian cloud, 1-8 sinks around each (um)."""
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n_nets * UM2_PER_NET))
    fanout = np.minimum(rng.geometric(0.45, n_nets), 8)
    net_ptr = np.zeros(n_nets + 1, dtype=np.int64)
    net_ptr[1:] = np.cumsum(fanout + 1)
    driver_x = rng.normal(side / 2, side / 4, n_nets)
    driver_y = rng.normal(side / 2, side / 4, n_nets)
    pin_x = np.repeat(driver_x, fanout + 1) + rng.normal(0, SINK_SIGMA_UM, net_ptr[-1])
    pin_y = np.repeat(driver_y, fanout + 1) + rng.normal(0, SINK_SIGMA_UM, net_ptr[-1])
    first = net_ptr[:-1]
    pin_x[first], pin_y[first] = driver_x, driver_y
    pin_x, pin_y = np.clip(pin_x, 0, side - 1e-6), np.clip(pin_y, 0, side - 1e-6)
    grid = RoutingGrid((0.0, 0.0, side, side), GCELL_UM)
    return RoutingProblem(grid, net_ptr, pin_x, pin_y)


def hpwl_um(problem):
    """Sum over nets of the half-perimeter of the pins' bounding box (um)."""
    sizes = np.diff(problem.net_ptr)
    net = np.repeat(np.arange(problem.n_nets), sizes)
    total = 0.0
    for coord in (problem.pin_x, problem.pin_y):
        hi = np.full(problem.n_nets, -np.inf)
        lo = np.full(problem.n_nets, np.inf)
        np.maximum.at(hi, net, coord)
        np.minimum.at(lo, net, coord)
        total += float((hi - lo).sum())
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "router.json"))
    args = parser.parse_args()
    # compile the kernels once so that the first row does not pay for it
    global_route(synthetic_problem(50, args.seed), max_iterations=2)
    rows = []
    for n_nets in NET_COUNTS:
        problem = synthetic_problem(n_nets, args.seed)
        start = time.perf_counter()
        result = global_route(problem)
        seconds = time.perf_counter() - start
        grid = problem.grid
        rows.append({
            "nets": n_nets,
            "pins": int(problem.net_ptr[-1]),
            "gcells": f"{grid.nx}x{grid.ny}",
            "runtime_s": round(seconds, 3),
            "wirelength_um": round(result.wirelength_um, 1),
            "hpwl_um": round(hpwl_um(problem), 1),
            "overflow_pattern": result.overflow_history[0],
            "overflow_final": result.overflow_total,
            "overflowed_edges_final": result.overflowed_edges,
            "layer_overflow_final": result.layer_overflow_total,
            "iterations": len(result.overflow_history) - 1,
            "vias": result.via_count,
            "max_gcell_congestion": round(float(result.gcell_congestion().max()), 3),
        })
    header = ("nets", "pins", "gcells", "runtime_s", "wirelength_um", "hpwl_um", "overflow_pattern",
              "overflow_final", "iterations", "vias")
    print(" ".join(f"{h:>16}" for h in header))
    for row in rows:
        print(" ".join(f"{row[h]:>16}" for h in header))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"seed": args.seed, "machine": f"{platform.machine()} {os.cpu_count()} cpus",
                   "python": platform.python_version(), "rows": rows}, f, indent=2)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
