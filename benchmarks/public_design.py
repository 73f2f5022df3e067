"""A public design nobody here wrote, through the flow at default settings: picorv32.

``../shared/designs/picorv32/picorv32.v`` (YosysHQ, ISC licence) as an own-Verilog design, top
``picorv32``, 10 ns clock, every other setting at its default (utilisation 0.6, pins on the
default side), run from rtl to signoff in a scratch project. Prints synthesis, placement, routing
and timing figures and writes ``benchmarks/results/public_design.json``. Skips with a message when
``../shared`` is absent. Asserts nothing.

    python benchmarks/public_design.py
"""

import json
import os
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_metrics import SHARED, run_design  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "public_design.json"
VERILOG = SHARED / "designs" / "picorv32" / "picorv32.v"
DESIGN = f"""[design]
name = "picorv32"
top = "picorv32"
clock_period_ns = 10.0
verilog = ["{VERILOG}"]
description = "picorv32 (YosysHQ, ISC licence) from ../shared, default settings"
"""
SHOWN = [("synth", "synth__cells__count"), ("place", "place__utilization__ratio"),
         ("place", "place__target_density__ratio"), ("place", "place__hpwl__um"),
         ("place", "place__max_bin_density__ratio"), ("place", "place__congestion_max__ratio"),
         ("place", "place__runtime__s"), ("route", "route__overflow__count"), ("route", "route__wirelength__um"),
         ("signoff", "timing__setup_ws__ns"), ("signoff", "timing__fmax__mhz"), ("signoff", "drc__violations__count")]


def main():
    if not VERILOG.exists():
        print(f"skipped: {VERILOG} is absent (the public designs live in ../shared/designs)")
        return
    load_before = os.getloadavg()
    status, wall, metrics = run_design(DESIGN, "picorv32", "signoff")
    print(f"\npicorv32 through signoff: exit status {status}, {wall:.0f} s wall")
    for stage, key in SHOWN:
        value = metrics.get(stage, {}).get(key, "-")
        print(f"  {key:40s} {value:>14,.4g}" if isinstance(value, (int, float)) else f"  {key:40s} {value:>14}")
    report = {"date": date.today().isoformat(),
              "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "python": platform.python_version(), "load_average_before": load_before,
                          "load_average_after": os.getloadavg()},
              "design": "picorv32", "exit_status": status, "wall_s": wall, "metrics": metrics}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
