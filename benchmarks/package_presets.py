"""Package model on the H100-like and B200-like presets, and a node sweep of one die.

Prints a table and writes benchmarks/results/package_presets.json; asserts nothing.

Usage: python benchmarks/package_presets.py [--tile-area-um2 A] [--tile-sram-um2 S]
       [--tile-fmax-mhz F] [--tile-power-mw P] [--tile-macs M]
The default tile is an illustrative 130 nm 8x8 INT8 systolic tile (0.6 mm2, 0.2 mm2 of it
SRAM, 150 MHz, 45 mW); pass the signed-off figures to use the real one.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tapeout.package import NODES, PackageSpec, TileFigures, evaluate_package  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile-area-um2", type=float, default=600_000.0)
    parser.add_argument("--tile-sram-um2", type=float, default=200_000.0)
    parser.add_argument("--tile-fmax-mhz", type=float, default=150.0)
    parser.add_argument("--tile-power-mw", type=float, default=45.0)
    parser.add_argument("--tile-macs", type=int, default=64)
    args = parser.parse_args()
    tile = TileFigures(args.tile_area_um2, args.tile_fmax_mhz, args.tile_power_mw, "130nm",
                       macs=args.tile_macs, sram_area_um2=args.tile_sram_um2)

    rows = []
    for name in ("h100_like", "b200_like"):
        table = tomllib.loads((ROOT / "designs" / f"{name}.toml").read_text())["package"]
        result = evaluate_package(PackageSpec(**table), tile)
        rows.append({"case": name, **result.metrics(),
                     "knee_ops_per_byte": result.roofline.knee_ops_per_byte,
                     "decode_ops_per_byte": result.decode_intensity,
                     "tiles_per_die": result.die.tiles})
    sweep = []
    for node_name in NODES:
        spec = PackageSpec(node=node_name, dies=1, tiles_per_die=1000, interposer="monolithic")
        result = evaluate_package(spec, tile)
        sweep.append({"node": node_name, "die_area_mm2": result.die.area_mm2,
                      "fmax_mhz": result.die.tile.fmax_mhz, "peak_tops": result.peak_tops,
                      "tiles_power_w": result.die.power_w,
                      "cost_per_good_die_usd": result.good_die_cost_usd})

    keys = ["package__die_area__mm2", "package__interposer_area__mm2", "package__hbm_capacity__gb",
            "package__hbm_bandwidth__tbps", "package__peak__tops", "package__dies_per_wafer__count",
            "package__yield__ratio", "package__cost_per_good_die__usd",
            "package__cost_per_good_package__usd"]
    print(f"{'metric':40s} {'h100_like':>14s} {'b200_like':>14s}")
    for key in keys:
        print(f"{key:40s} {rows[0][key]:>14,.3f} {rows[1][key]:>14,.3f}")
    print()
    print(f"{'node':6s} {'1000 tiles mm2':>15s} {'Fmax MHz':>9s} {'TOPS':>9s} {'W':>8s} {'$/good die':>11s}")
    for s in sweep:
        print(f"{s['node']:6s} {s['die_area_mm2']:>15,.1f} {s['fmax_mhz']:>9,.0f} "
              f"{s['peak_tops']:>9,.1f} {s['tiles_power_w']:>8,.2f} {s['cost_per_good_die_usd']:>11,.2f}")
    out = ROOT / "benchmarks" / "results" / "package_presets.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"tile": dataclasses.asdict(tile), "presets": rows,
                               "node_sweep": sweep}, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
