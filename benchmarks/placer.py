"""Placer benchmark: HPWL and run time on seeded synthetic netlists.

For each size: a random placement legalised, the quadratic (analytic) placement
legalised, the full placer (`tapeout.pnr.place.placer.place`) with method "auto" (annealing
below 2,000 cells, electrostatic global placement above), method "analytic" (the quadratic
start spread on slots plus low-temperature annealing, the default before eplace) and the full
VPR-style anneal from a random start; each through legalisation and detailed placement.
Prints a table and writes ``benchmarks/results/placer.json``. Times are wall and CPU seconds
of this process (the machine may be shared: the load average before and after is recorded);
moves/s is per CPU second of the compiled annealing loop. Asserts nothing.

    python benchmarks/placer.py            # 1K, 5K, 20K, 100K
    python benchmarks/placer.py --small    # 1K and 5K only
    python benchmarks/placer.py --sizes 20000 --no-full-anneal
"""

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np

from tapeout.pnr.place.analytic import analytic_placement
from tapeout.pnr.place.cost import hpwl, net_cost_weights
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.placer import place
from tapeout.pnr.place.slots import build_slot_grid
from tapeout.pnr.place.synthetic import synthetic_problem

RESULTS = Path(__file__).parent / "results" / "placer.json"


def _timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


def _random_legalised(problem, seed):
    rng = np.random.default_rng(seed)
    x, y = problem.x.copy(), problem.y.copy()
    x[problem.movable] = rng.uniform(problem.core[0], problem.core[2], problem.n_movable)
    y[problem.movable] = rng.uniform(problem.core[1], problem.core[3], problem.n_movable)
    return legalize(problem, x, y)


def _quadratic_legalised(problem, seed):
    grid = build_slot_grid(problem)
    start = analytic_placement(problem, grid, net_cost_weights(problem),
                               np.random.default_rng(seed))
    return legalize(problem, start.x, start.y)


def _row(size, name, problem, x, y, wall, cpu, **extra):
    row = {"cells": size, "method": name, "hpwl_um": hpwl(problem, x, y),
           "wall_s": wall, "cpu_s": cpu, "violations": len(check_legality(problem, x, y))}
    row.update(extra)
    return row


def run(sizes, full_anneal_sizes, seed, effort):
    """Measure every size; return the result rows."""
    rows = []
    for size in sizes:
        problem = synthetic_problem(size, seed=seed)
        (x, y), wall, cpu = _timed(_random_legalised, problem, seed)
        rows.append(_row(size, "random+legalise", problem, x, y, wall, cpu))
        (x, y), wall, cpu = _timed(_quadratic_legalised, problem, seed)
        rows.append(_row(size, "quadratic+legalise", problem, x, y, wall, cpu))
        methods = ["auto", "analytic"] + (["anneal"] if size in full_anneal_sizes else [])
        for method in methods:
            result, wall, cpu = _timed(place, problem, seed=seed, effort=effort,
                                       method=method)
            rows.append(_row(size, f"place[{method}->{result.method}]", problem, result.x,
                             result.y, wall, cpu, moves=result.moves,
                             moves_per_s=result.moves_per_s,
                             temperatures=len(result.temperatures),
                             global_iterations=result.global_iterations,
                             hpwl_by_step=result.hpwl_by_step))
        for row in rows[-2 - len(methods):]:
            _print(row)
    return rows


def _print(row):
    moves = f"{row['moves'] / 1e6:8.1f} {row['moves_per_s'] / 1e6:6.2f}" if "moves" in row \
        else f"{'':8} {'':6}"
    print(f"{row['cells']:>7} {row['method']:<26} {row['hpwl_um']:>14.1f} "
          f"{row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} {moves} {row['violations']:>5}",
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only 1K and 5K cells")
    parser.add_argument("--sizes", type=int, nargs="+", help="cell counts to run")
    parser.add_argument("--no-full-anneal", action="store_true",
                        help="skip the full anneal from random (the slow reference)")
    parser.add_argument("--full-anneal-max", type=int, default=20_000,
                        help="largest size to run the full anneal on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--effort", type=float, default=1.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = args.sizes or ([1000, 5000] if args.small else [1000, 5000, 20000, 100000])
    full = set() if args.no_full_anneal else {s for s in sizes if s <= args.full_anneal_max}
    print(f"{'cells':>7} {'method':<26} {'HPWL um':>14} {'wall s':>8} {'cpu s':>8} "
          f"{'Mmoves':>8} {'M/s':>6} {'viol':>5}")
    load_before = os.getloadavg()
    rows = run(sizes, full, args.seed, args.effort)
    report = {
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or
                    platform.machine(), "python": platform.python_version(),
                    "load_average_before": load_before, "load_average_after": os.getloadavg(),
                    "note": "moves_per_s is per CPU second of the annealing loop (one core)"},
        "seed": args.seed, "effort": args.effort, "rows": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
