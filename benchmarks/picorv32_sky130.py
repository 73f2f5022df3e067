"""picorv32 on SKY130 through the whole flow, side by side with OpenLane 1's published result.

The public picorv32 core (YosysHQ, ISC licence; `../shared/designs/picorv32/picorv32.v`, read from
there, never copied) as an own-Verilog design on `sky130_fd_sc_hd` at OpenLane's picorv32a settings:
CLOCK_PERIOD 24 ns, FP_CORE_UTIL 35 %. The flow runs from RTL to GDS (signoff and gds) in a fresh
build directory; the figures are read from the stages' metrics. OpenSTA (when on PATH) re-times the
signoff folder at each corner for the agreement column.

OpenLane's figures are its published sky130_fd_sc_hd regression result for picorv32a as quoted in
issue 16: 9,470 synthesised cells, die 0.303 mm2, core 284,718 um2, WNS 0, wirelength 665,045 um.

The plain run is the flow's default, which on SKY130 routes the signal nets in detail (`droute`) and
times the parasitics extracted from them. With ``--droute`` the GDS also goes through the layout
checks (`drc_lvs`), and the routed wirelength against the global route's, vias per net, shorts, opens,
DRC violations and the LVS result are recorded (``picorv32_sky130_droute.json``).

Writes ``benchmarks/results/picorv32_sky130.json``; asserts nothing. Needs the SKY130 PDK root
(``../shared/pdk`` or ``PDK_ROOT``).
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICORV32 = ROOT.parent / "shared" / "designs" / "picorv32" / "picorv32.v"
OPENLANE = {"cells": 9470, "die_mm2": 0.303, "core_um2": 284718, "wns_ns": 0.0, "wirelength_um": 665045}

DESIGN = """[design]
name = "picorv32_sky130"
top = "picorv32"
clock_period_ns = {period}
verilog = ["{verilog}"]

[technology]
library = "sky130_fd_sc_hd"
pdk_root = "{pdk}"
target_utilization = {utilization}
"""


def main():
    from tapeout.flow.cli import main as tapeout
    from tapeout.signoff.opensta import compare_endpoints, flow_timing, opensta_binary, run_opensta
    from tapeout.tech.technology import technology_named

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", type=float, default=24.0, help="clock period, ns")
    parser.add_argument("--utilization", type=float, default=0.35)
    parser.add_argument("--pdk", default=os.environ.get("PDK_ROOT") or str(ROOT.parent / "shared" / "pdk"))
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary directory)")
    parser.add_argument("--droute", action="store_true", help="route in detail and check DRC/LVS on the GDS")
    args = parser.parse_args()
    if not PICORV32.is_file():
        raise SystemExit(f"picorv32 not found at {PICORV32}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="picorv32_sky130_"))
    (work / "designs").mkdir(parents=True, exist_ok=True)
    design = work / "designs" / "picorv32_sky130.toml"
    design.write_text(DESIGN.format(period=args.period, verilog=PICORV32, pdk=Path(args.pdk).resolve(),
                                    utilization=args.utilization)
                      + ("\n[droute]\nenabled = true\n" if args.droute else ""))
    os.chdir(work)
    start = time.perf_counter()
    stages = ["signoff", "gds", *(["drc_lvs"] if args.droute else [])]
    status = tapeout(["run", *stages, "-d", str(design), "--allow-violations"])
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"the flow failed (status {status}); see {work}/build/picorv32_sky130/")
    build = work / "build" / "picorv32_sky130"
    m = {}
    for stage in ("synth", "place", "resize", "cts", "route", "droute", "finish", "gds", "signoff",
                  *(("drc_lvs",) if args.droute else ())):
        if (build / stage / "metrics.json").is_file():  # droute: absent when the design is not detail-routed
            m.update(json.loads((build / stage / "metrics.json").read_text()))
    agreement = {}
    if opensta_binary():
        technology = technology_named("sky130_fd_sc_hd", args.pdk)
        for corner in ("tt", "ss", "ff"):
            ours, _ = flow_timing(build, "picorv32", technology=technology, corner=corner)
            theirs = run_opensta(build / "signoff", corner=corner)
            a = compare_endpoints(ours, theirs)
            agreement[corner] = {"max_abs_ps": round(a.max_abs_ns * 1e3, 2), "endpoints": len(a.setup_diff_ns),
                                 "flow_setup_ns": ours.wns_ns, "opensta_setup_ns": theirs.setup_ws_ns,
                                 "flow_hold_ns": ours.hold_ws_ns, "opensta_hold_ns": theirs.hold_ws_ns}
    ours = {
        "cells": m["synth__cells__count"], "cell_area_um2": m["synth__area__um2"],
        "die_mm2": m["place__die_area__um2"] / 1e6, "core_um2": m["place__core_area__um2"],
        "utilization": m["place__utilization__ratio"],
        "wns_ss_ns": m["timing__setup_ws__ns"], "wns_tt_ns": m["timing__tt_setup_ws__ns"],
        "hold_ff_ns": m["timing__hold_ws__ns"], "fmax_tt_mhz": m["timing__fmax__mhz"],
        "fmax_ss_mhz": m["timing__ss_fmax__mhz"],
        "wirelength_um": m["route__wirelength__um"], "hpwl_um": m["resize__hpwl__um"],
        "overflow": m["route__overflow__count"], "clock_buffers": m["cts__buffers__count"],
        "fill_cells": m["finish__fill_cells__count"], "straps": m["finish__straps__count"],
        "power_mw": m["power__total__mw"], "max_transition_warnings": m["drc__max_transition__count"],
        "stage_seconds": {k.split("__")[0]: v for k, v in m.items() if k.endswith("__runtime__s")},
        "wall_s": round(wall, 1),
    }
    if args.droute:
        ours["droute"] = {k.split("__", 1)[1]: v for k, v in m.items() if k.startswith(("droute__", "extract__"))}
        ours["drc_lvs"] = {k: m[k] for k in ("drc__layout_violations__count", "lvs__layout_status",
                                             "lvs__layout_mismatches__count", "drc_lvs__runtime__s") if k in m}
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "load_average": open("/proc/loadavg").read().split()[:3], "period_ns": args.period,
              "utilization": args.utilization, "ours": ours, "openlane": OPENLANE, "opensta": agreement}
    out = ROOT / "benchmarks" / "results" / f"picorv32_sky130{'_droute' if args.droute else ''}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    rows = [("synthesised cells", f"{ours['cells']:,}", f"{OPENLANE['cells']:,}"),
            ("cell area (um2)", f"{ours['cell_area_um2']:,.0f}", "-"),
            ("die (mm2)", f"{ours['die_mm2']:.3f}", f"{OPENLANE['die_mm2']:.3f}"),
            ("core (um2)", f"{ours['core_um2']:,.0f}", f"{OPENLANE['core_um2']:,}"),
            ("WNS at 24 ns (ss / tt)", f"{ours['wns_ss_ns']:+.2f} / {ours['wns_tt_ns']:+.2f} ns", "0"),
            ("Fmax tt (ss)", f"{ours['fmax_tt_mhz']:.1f} ({ours['fmax_ss_mhz']:.1f}) MHz", "-"),
            ("wirelength (um)", f"{ours['wirelength_um']:,.0f} (global route)", f"{OPENLANE['wirelength_um']:,}"),
            ("runtime RTL to GDS", f"{ours['wall_s']:.0f} s", "-")]
    print(f"{'':28} {'tapeout':>32} {'OpenLane 1':>12}")
    for name, a, b in rows:
        print(f"{name:28} {a:>32} {b:>12}")
    if args.droute:
        d = ours["droute"]
        print(f"detailed routing: {d['wirelength__um']:,.0f} um ({d['wirelength_ratio__ratio']:.3f} x the global "
              f"route), {d['vias__count']:,} vias ({d['vias_per_net__ratio']} per net), {d['shorts__count']} shorts, "
              f"{d['opens__count']} opens, {d['iterations__count']} rip-up passes, {d['runtime__s']} s")
        print(f"layout checks: {ours['drc_lvs']}")
    for corner, a in agreement.items():
        print(f"OpenSTA at {corner}: {a['endpoints']} endpoints, largest difference {a['max_abs_ps']} ps")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
