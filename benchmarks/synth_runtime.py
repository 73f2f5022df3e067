"""Synthesis runtime and area, and netlist load speed, on designs of growing size.

Designs: the MAC test design (Verilog), a 4x4 and an 8x8 INT8 output-stationary
systolic array and a 2 x 256 x 32 tile buffer (Amaranth -> RTLIL), the buffer both with
SRAM macros and with its memories as flip-flops (the large flat netlist). For each:
Yosys wall time (pyosys in a child process), area, cells, flops, macros; then the time to
read the flat JSON into `tapeout.netlist.Netlist`, validate it and write Verilog back.
Prints a table and writes benchmarks/results/synth_runtime.json; asserts nothing.

Run: ``.venv/bin/python benchmarks/synth_runtime.py [--quick] [--period-ns 5]``
(``--quick`` skips the 8x8 array and the flop buffer).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tapeout.netlist import read_yosys_json, validate, write_verilog  # noqa: E402
from tapeout.synth import synthesize  # noqa: E402
from tapeout.tech.generate import LIBERTY_PATH  # noqa: E402
from tapeout.tech.library import default_library  # noqa: E402


def _rtlil(component, name: str, folder: Path) -> Path:
    from amaranth.back import rtlil

    path = folder / f"{name}.il"
    path.write_text(rtlil.convert(component, name=name))
    return path


def designs(folder: Path, quick: bool):
    """(label, source files, top, synthesize keyword arguments)."""
    from tapeout.rtl.systolic_array import SystolicArray
    from tapeout.rtl.tile_buffer import TileBuffer

    yield "mac (Verilog)", [ROOT / "tests" / "synth" / "data" / "mac.v"], "mac", {}
    yield "systolic 4x4", [_rtlil(SystolicArray(4, 4), "systolic4", folder)], "systolic4", {}
    if not quick:
        yield "systolic 8x8", [_rtlil(SystolicArray(8, 8), "systolic8", folder)], "systolic8", {}
    buffer = _rtlil(TileBuffer(2, 256, 32), "tile_buffer", folder)
    yield "buffer 2x256x32, macros", [buffer], "tile_buffer", {}
    if not quick:
        yield "buffer 2x256x32, flops", [buffer], "tile_buffer", {"macros": False}


def measure(label, files, top, kwargs, period_ns, work: Path, library) -> dict:
    out = work / label.replace(" ", "_").replace(",", "")
    result = synthesize(files, top, LIBERTY_PATH, period_ns, out, **kwargs)
    start = time.perf_counter()
    netlist = read_yosys_json(result.netlist_json, library, result.macro_models)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    validate(netlist)
    validate_s = time.perf_counter() - start
    start = time.perf_counter()
    write_verilog(netlist, out / "written.v")
    write_s = time.perf_counter() - start
    return {"design": label, "synth_s": round(result.runtime_s, 3), "area_um2": round(result.area.area_um2, 1),
            "cells": result.area.cells, "flops": result.flops, "macros": result.macro_count,
            "pins": netlist.num_pins, "nets": netlist.num_nets,
            "json_mb": round(result.netlist_json.stat().st_size / 1e6, 2),
            "load_s": round(load_s, 3), "validate_s": round(validate_s, 3), "write_s": round(write_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the two largest designs")
    parser.add_argument("--period-ns", type=float, default=5.0, help="clock period given to ABC (ns)")
    args = parser.parse_args()
    library = default_library()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, files, top, kwargs in designs(work, args.quick):
            rows.append(measure(label, files, top, kwargs, args.period_ns, work, library))
            print(f"done: {label}", file=sys.stderr)
    columns = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths)))
    machine = {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()}
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / "synth_runtime.json"
    path.write_text(json.dumps({"machine": machine, "period_ns": args.period_ns, "rows": rows}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
