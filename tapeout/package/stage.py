"""The `package` flow stage: the signed-off tile scaled to the target node, the die, the CoWoS package
with HBM, and the wafer economics."""

from __future__ import annotations

import json

from tapeout.flow.stage import Stage, StageContext


def tile_figures(config, place_dir, signoff_dir):
    """TileFigures of the signed-off tile: die area and macro area from the floorplan (um2), Fmax from
    STA, power scaled to Fmax (switching and internal power grow with the clock; leakage does not)."""
    from tapeout.errors import StageError
    from tapeout.package.spec import TileFigures

    plan = json.loads((place_dir / "floorplan.json").read_text())
    metrics = json.loads((signoff_dir / "metrics.json").read_text())
    fmax = metrics.get("timing__fmax__mhz")
    if not fmax:
        raise StageError("the signoff stage found no clocked path, so the tile has no Fmax to package")
    x0, y0, x1, y1 = plan["die"]
    sram = sum(m["width"] * m["height"] for m in plan["macros"])
    f_clock = 1e3 / config.design.clock_period_ns
    dynamic = metrics["power__switching__mw"] + metrics["power__internal__mw"]
    power = dynamic * fmax / f_clock + metrics["power__leakage__mw"]
    return TileFigures((x1 - x0) * (y1 - y0), fmax, power, "130nm",
                       macs=config.tensor_core.rows * config.tensor_core.cols, sram_area_um2=sram)


class PackageStage(Stage):
    name = "package"
    title = "fab & package"
    needs = ("place", "signoff")
    reads = ("design.clock_period_ns", "tensor_core.rows", "tensor_core.cols", "package")
    outputs = ("package.json", "package_report.md", "package.svg", "package.png")
    code = ("package",)
    key_metrics = ("package__die_area__mm2", "package__peak__tops", "package__cost_per_good_die__usd")

    def applies(self, config) -> bool:
        return config.package is not None and config.tensor_core is not None

    def run(self, ctx: StageContext) -> dict:
        from tapeout.package.run import run_package

        tile = tile_figures(ctx.config, ctx.input_dirs["place"], ctx.input_dirs["signoff"])
        ctx.log(f"tile at 130 nm: {tile.area_um2 / 1e6:.4f} mm2 ({tile.sram_area_um2 / 1e6:.4f} mm2 SRAM), "
                f"Fmax {tile.fmax_mhz:.1f} MHz, {tile.power_mw:.2f} mW at Fmax, {tile.macs} MACs/cycle")
        metrics = run_package(ctx.config.package, tile, ctx.out_dir)
        ctx.log((ctx.out_dir / "package_report.md").read_text())
        return metrics
