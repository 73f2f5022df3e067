"""Logic equivalence (`lec`) runtime on the default tile and on picorv32.

Runs the flow up to `lec` in a scratch project for ``tc4x4`` (the default design) and for
``../shared/designs/picorv32/picorv32.v`` as an own-Verilog design (top ``picorv32``, 10 ns, defaults
otherwise): both checks, the synthesised netlist against the RTL and the final (clock-tree) netlist
against the synthesised one. Prints each check's points, proven and unproven points and runtime (from
the stage's ``lec.json``, also when it fails; the flow stages before it are not counted) and writes
``benchmarks/results/lec_runtime.json`` (designs not named keep their earlier entry, each dated).
``picorv32_sky130``: picorv32 on ``sky130_fd_sc_hd`` at 20 ns (needs ``PDK_ROOT``).
picorv32 is skipped with a message when ``../shared`` (or
``$TAPEOUT_SHARED``) is absent. Asserts nothing.

    TAPEOUT_SHARED=/work/shared python benchmarks/lec_runtime.py [tc4x4] [picorv32] [picorv32_sky130]
"""

import json
import os
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_metrics import run_design  # noqa: E402
from public_design import DESIGN as PICORV32  # noqa: E402
from public_design import VERILOG  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "lec_runtime.json"
SHOWN = ("points", "proven", "strict_proven", "dont_care_proven", "abc_proven", "induct_proven", "unproven_count",
         "seconds")
SKY130 = PICORV32.replace('name = "picorv32"', 'name = "picorv32_sky130"').replace(
    "clock_period_ns = 10.0", "clock_period_ns = 20.0") + '\n[technology]\nlibrary = "sky130_fd_sc_hd"\n'
DESIGNS = {"tc4x4": None, "picorv32": PICORV32, "picorv32_sky130": SKY130}


def main(names):
    report = {"date": date.today().isoformat(),
              "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "python": platform.python_version()}, "designs": {}}
    if RESULTS.exists():
        earlier = json.loads(RESULTS.read_text())
        report["designs"] = {name: {"date": earlier["date"], **entry} for name, entry in earlier["designs"].items()}
    for name in names:
        if name not in DESIGNS:
            print(f"unknown design {name!r}: one of {', '.join(DESIGNS)}")
            return 2
        if name.startswith("picorv32") and not VERILOG.exists():
            print(f"picorv32 skipped: {VERILOG} is absent (the public designs live in ../shared/designs)")
            continue
        load_before = os.getloadavg()
        status, wall, metrics = run_design(DESIGNS[name], name, "lec",
                                           reports=("lec/lec.json", "lec.failed/lec.json"))
        checks = metrics.get("lec/lec.json") or metrics.get("lec.failed/lec.json") or []
        report["designs"][name] = {"date": date.today().isoformat(), "exit_status": status,
                                   "flow_wall_s": round(wall, 1), "checks": checks,
                                   "load_average_before": load_before, "load_average_after": os.getloadavg()}
        print(f"{name}: exit status {status}, flow up to lec {wall:.0f} s wall, load {os.getloadavg()[0]:.1f}")
        for check in checks:
            print(f"  {check['gate']} against {check['gold']}: "
                  + ", ".join(f"{key} {check.get(key)}" for key in SHOWN))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["tc4x4", "picorv32"]))
