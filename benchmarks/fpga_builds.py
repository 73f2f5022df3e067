"""FPGA builds of the UART tensor tile: utilisation, Fmax and build time per board.

For each board: the tile of its design file (designs/boards/<board>.toml), then square
arrays of growing size until one does not fit (or --max-size). Prints a table and writes
benchmarks/results/fpga_builds.json; asserts nothing.

Usage: python benchmarks/fpga_builds.py [--boards icebreaker ulx3s-85f] [--max-size N]
       [--ecp5-target-mhz 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amaranth.hdl import UnusedElaboratable  # noqa: E402

from tapeout.fpga.board_design import BoardDesign, board_design_path, load_board_design  # noqa: E402
from tapeout.fpga.build import DesignDoesNotFitError, build_bitstream  # noqa: E402

warnings.filterwarnings("ignore", category=UnusedElaboratable)


def square_tile(design: BoardDesign, size: int) -> BoardDesign:
    """The board's tile with a ``size x size`` array, buffer word and crossbar widened to match."""
    in_width = design.tile_params.get("in_width", 8)
    params = {**design.tile_params, "rows": size, "cols": size,
              "width": max(design.tile_params.get("width", 64), 2 * size * in_width),
              "xbar_width": max(design.tile_params.get("xbar_width", 32), size * in_width)}
    return BoardDesign(board=design.board, tile_params=params, baud=design.baud, path=design.path)


def build_row(design: BoardDesign, label: str, target_mhz, seed: int, work: Path) -> dict:
    """Build one configuration; a row of the table (``fits`` False if it overflowed)."""
    params = design.tile_params
    row = {"board": design.board.name, "config": label,
           "array": f"{params.get('rows', 4)}x{params.get('cols', 4)}",
           "params": params}
    try:
        result = build_bitstream(design.top(), design.board.name, work / f"{design.board.name}_{label}",
                                 clock_mhz=target_mhz, seed=seed)
    except DesignDoesNotFitError as error:
        row.update(fits=False, error=str(error))
        return row
    row.update(fits=True, timing_met=result.timing_met, **result.metrics)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", nargs="+", default=["icebreaker", "ulx3s-85f"])
    parser.add_argument("--max-size", type=int, default=8, help="largest square array tried")
    parser.add_argument("--ecp5-target-mhz", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for board in args.boards:
            design = load_board_design(board_design_path(board, ROOT / "designs"))
            target = args.ecp5_target_mhz if design.board.family == "ecp5" else None
            rows.append(build_row(design, "default", target, args.seed, work))
            print_row(rows[-1])
            size = design.tile_params.get("rows", 4) + 1
            while size <= args.max_size:
                rows.append(build_row(square_tile(design, size), f"{size}x{size}", target,
                                      args.seed, work))
                print_row(rows[-1])
                if not rows[-1]["fits"]:
                    break
                size += 1 if design.board.family == "ice40" else 2

    largest = {}
    for row in rows:
        if row["fits"]:
            largest[row["board"]] = row["array"]
    out = ROOT / "benchmarks" / "results" / "fpga_builds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                               "rows": rows, "largest_fitting": largest}, indent=2))
    print(f"largest fitting array per board: {largest}")
    print(f"wrote {out}")


def print_row(row: dict) -> None:
    """One line of the table, printed as soon as the build ends."""
    if not row["fits"]:
        print(f"{row['board']:11} {row['config']:8} {row['array']:6} does not fit: {row['error']}")
        return
    print(f"{row['board']:11} {row['config']:8} {row['array']:6} "
          f"LUT {row['fpga__luts__count']:6} FF {row['fpga__ffs__count']:6} "
          f"BRAM {row['fpga__brams__count']:3} DSP {row['fpga__dsps__count']:3} "
          f"Fmax {row['fpga__fmax__mhz']:7.2f} MHz (target {row['fpga__target__mhz']:.1f}) "
          f"build {row['fpga__runtime__s']:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
