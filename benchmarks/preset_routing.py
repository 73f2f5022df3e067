"""The shipped designs through place and route at default settings: the default design
(tc4x4) to signoff, the H100-like and B200-like presets to route.

Each runs in a scratch project; prints placement (HPWL, target and maximum bin density, routing
estimate), routing (overflow, wirelength) and, for the default design, timing; writes
``benchmarks/results/preset_routing.json``. Asserts nothing.

    python benchmarks/preset_routing.py [--designs tc4x4 h100_like b200_like]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_metrics import print_metric_table, run_design, write_results  # noqa: E402

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
    print()
    print_metric_table(results, SHOWN)
    write_results(RESULTS, load_before, designs=results)


if __name__ == "__main__":
    main()
