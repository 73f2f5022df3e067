"""Runtime of the layout checks (routing-layer DRC, LVS extraction + comparison) on GDS files the flow
has written, with what they found.

Give build folders of SKY130 designs that went through `tapeout run drc_lvs` (or at least `gds` and
`cts`); for each, the GDS is checked again here, timed per part. Prints a table, writes
``benchmarks/results/drc_lvs_runtime.json`` with the machine and load average; asserts nothing.

    .venv/bin/python benchmarks/drc_lvs_runtime.py build/counter_sky130 build/tc4x4_sky130
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(build: Path, pdk_root: str) -> dict:
    from tapeout.drc_lvs.connectivity import extraction_layers
    from tapeout.drc_lvs.drc import read_layout, run_drc
    from tapeout.drc_lvs.extract import extract
    from tapeout.drc_lvs.lvs import compare
    from tapeout.drc_lvs.reference import reference_nets
    from tapeout.drc_lvs.rules import rules_of
    from tapeout.netlist.from_synth import load_synthesized
    from tapeout.tech.technology import technology_named

    technology = technology_named("sky130_fd_sc_hd", pdk_root)
    gds = next((build / "gds").glob("*.gds"))
    top = gds.stem
    start, cpu = time.perf_counter(), time.process_time()
    drc = run_drc(gds, rules_of(technology), top)
    drc_s, drc_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    layout, cell = read_layout(gds, top)
    metals, cuts = extraction_layers(technology)
    extraction = extract(layout, cell, metals, cuts)
    extract_s = time.perf_counter() - start
    start = time.perf_counter()
    netlist = load_synthesized(build / "cts", top, technology.library())
    grid = technology.power_grid
    lvs = compare(reference_nets(netlist), extraction.nets, {grid.power: grid.power, grid.ground: grid.ground})
    compare_s = time.perf_counter() - start
    return {"design": build.name, "gds_mb": round(gds.stat().st_size / 1e6, 2), "instances": extraction.instances,
            "terminals": extraction.terminals, "drc_rules": len(drc.results), "drc_violations": drc.violations,
            "drc_s": round(drc_s, 2),
            "drc_cpu_s": round(drc_cpu_s, 2), "extract_s": round(extract_s, 2), "compare_s": round(compare_s, 2),
            "lvs_status": lvs.status, "lvs_shorts": len(lvs.shorts), "lvs_missing": len(lvs.missing),
            "supply_pieces": lvs.supplies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+", type=Path, help="build/<design> folders")
    parser.add_argument("--pdk-root", default=os.environ.get("PDK_ROOT", str(ROOT.parent / "shared" / "pdk")))
    args = parser.parse_args()
    rows = [measure(b, args.pdk_root) for b in args.builds]
    print(f"{'design':<16} {'inst':>6} {'terms':>6} {'DRC viol':>8} {'DRC s':>7} {'DRC cpu':>7} {'extract s':>9} "
          f"{'compare s':>9}  LVS")
    for r in rows:
        print(f"{r['design']:<16} {r['instances']:>6} {r['terminals']:>6} {r['drc_violations']:>8} {r['drc_s']:>7} "
              f"{r['drc_cpu_s']:>7} "
              f"{r['extract_s']:>9} {r['compare_s']:>9}  {r['lvs_status']}, shorts {r['lvs_shorts']}, "
              f"supplies {r['supply_pieces']}")
    result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
              "cpus": os.cpu_count(), "loadavg": open("/proc/loadavg").read().split()[:3], "rows": rows}
    out = ROOT / "benchmarks" / "results" / "drc_lvs_runtime.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"load average {' '.join(result['loadavg'])}; written {out}")


if __name__ == "__main__":
    main()
