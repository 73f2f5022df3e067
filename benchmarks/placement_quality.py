"""Placement quality against a proven optimum: HPWL over the optimal HPWL on generated instances.

Instances come from `tapeout.pnr.place.known_optimum` (cells of one size; every net's pins in a
box of least HPWL, so the generating placement is optimal: tests/pnr/place/test_known_optimum.py
checks it against the per-net lower bound). Each size and whitespace runs with several seeds
(the seed makes the netlist; the placer's seed stays 1) through `tapeout.pnr.place.placer.place`
at its defaults. Prints the ratio to the optimum after each step, the spread of the final ratio
across seeds, and wall and CPU seconds (the machine may be shared: the load average before and
after is recorded). Writes ``benchmarks/results/placement_quality.json``. Asserts nothing.

    python benchmarks/placement_quality.py                  # 1K, 10K, 100K; 0 and 20 %; seeds 1-3
    python benchmarks/placement_quality.py --sizes 10000 --seeds 1 2 3
"""

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

from tapeout.pnr.place.known_optimum import known_optimum_problem
from tapeout.pnr.place.placer import place

RESULTS = Path(__file__).parent / "results" / "placement_quality.json"


def run(sizes, whitespaces, seeds, method):
    """Place every instance; return the result rows."""
    rows = []
    for size in sizes:
        for whitespace in whitespaces:
            for seed in seeds:
                instance = known_optimum_problem(size, whitespace=whitespace, seed=seed)
                wall, cpu = time.perf_counter(), time.process_time()
                result = place(instance.problem, method=method)
                row = {"cells": instance.problem.n_cells, "whitespace": whitespace, "seed": seed,
                       "method": result.method, "optimal_hpwl_um": instance.optimal_hpwl,
                       "hpwl_um": result.hpwl, "ratio": result.hpwl / instance.optimal_hpwl,
                       "ratio_by_step": {k: v / instance.optimal_hpwl for k, v in result.hpwl_by_step.items()},
                       "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                       "violations": result.violations,
                       "displacement_rows": list(result.displacement_rows)}
                rows.append(row)
                steps = row["ratio_by_step"]
                print(f"{row['cells']:>7} {100 * whitespace:>4.0f}% {seed:>4} {steps.get('global', 0):>7.3f} "
                      f"{steps.get('legalised', 0):>7.3f} {row['ratio']:>7.3f} {row['wall_s']:>7.1f} "
                      f"{row['cpu_s']:>7.1f} {row['violations']:>4}", flush=True)
    return rows


def summary(rows):
    """Per size and whitespace: mean and spread (max / min - 1) of the final ratio across seeds."""
    groups = {}
    for row in rows:
        groups.setdefault((row["cells"], row["whitespace"]), []).append(row)
    out = []
    for (cells, whitespace), group in sorted(groups.items()):
        ratios = [r["ratio"] for r in group]
        out.append({"cells": cells, "whitespace": whitespace, "seeds": len(group),
                    "mean_ratio": sum(ratios) / len(ratios), "worst_ratio": max(ratios),
                    "spread": max(ratios) / min(ratios) - 1.0,
                    "mean_wall_s": sum(r["wall_s"] for r in group) / len(group),
                    "mean_cpu_s": sum(r["cpu_s"] for r in group) / len(group)})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--whitespace", type=float, nargs="+", default=[0.0, 0.2])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--method", default="auto", choices=["auto", "anneal", "analytic", "eplace"])
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    print(f"{'cells':>7} {'white':>5} {'seed':>4} {'global':>7} {'legal':>7} {'final':>7} {'wall s':>7} "
          f"{'cpu s':>7} {'viol':>4}   (HPWL over the optimum)")
    load_before = os.getloadavg()
    rows = run(args.sizes, args.whitespace, args.seeds, args.method)
    groups = summary(rows)
    print(f"\n{'cells':>7} {'white':>5} {'mean':>7} {'worst':>7} {'spread':>7} {'wall s':>7} {'cpu s':>7}")
    for g in groups:
        print(f"{g['cells']:>7} {100 * g['whitespace']:>4.0f}% {g['mean_ratio']:>7.3f} {g['worst_ratio']:>7.3f} "
              f"{100 * g['spread']:>6.1f}% {g['mean_wall_s']:>7.1f} {g['mean_cpu_s']:>7.1f}")
    report = {
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                    "python": platform.python_version(), "load_average_before": load_before,
                    "load_average_after": os.getloadavg()},
        "method": args.method, "rows": rows, "summary": groups,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
