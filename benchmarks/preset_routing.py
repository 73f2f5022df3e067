"""The shipped designs through place and route at default settings: the default design
(tc4x4) to signoff, the H100-like and B200-like presets to route.

Each runs in a scratch project; prints placement (HPWL, target and maximum bin density, routing
estimate), routing (overflow, wirelength) and, for the default design, timing; writes
``benchmarks/results/preset_routing.json``. Asserts nothing.

    python benchmarks/preset_routing.py [--designs tc4x4 h100_like b200_like]
"""

import argparse
import json
import os
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_metrics import run_design  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "preset_routing.json"
LAST_STAGE = {"tc4x4": "signoff"}
SHOWN = [("place", "place__hpwl__um"), ("place", "place__target_density__ratio"),
         ("place", "place__max_bin_density__ratio"), ("place", "place__congestion_max__ratio"),
         ("place", "place__global_iterations__count"), ("place", "place__runtime__s"),
         ("route", "route__overflow__count"), ("route", "route__wirelength__um"),
         ("signoff", "timing__setup_ws__ns")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", nargs="+", default=["tc4x4", "h100_like", "b200_like"])
    args = parser.parse_args()
    load_before = os.getloadavg()
    results = {}
    for name in args.designs:
        status, wall, metrics = run_design(None, name, LAST_STAGE.get(name, "route"))
        results[name] = {"exit_status": status, "wall_s": wall, "metrics": metrics}
    print(f"\n{'metric':40s}" + "".join(f"{name:>14s}" for name in args.designs))
    for stage, key in [("", "exit status")] + SHOWN:
        cells = []
        for name in args.designs:
            value = results[name]["exit_status"] if not stage else results[name]["metrics"].get(stage, {}).get(key)
            cells.append(f"{value:>14,.4g}" if isinstance(value, (int, float)) else f"{'-':>14s}")
        print(f"{key:40s}" + "".join(cells))
    report = {"date": date.today().isoformat(),
              "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "python": platform.python_version(), "load_average_before": load_before,
                          "load_average_after": os.getloadavg()},
              "designs": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
