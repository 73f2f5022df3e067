"""The `package` flow stage: the signed-off tile scaled to the target node, the die, the CoWoS package
with HBM, and the wafer economics."""

from __future__ import annotations

import json

from tapeout.flow.stage import NO_PICTURES, Artifact, Gate, Picture, Stage, StageContext
from tapeout.package.spec import PackageSpec
from tapeout.pnr.place.stage import FLOORPLAN_JSON
from tapeout.signoff.stage import SIGNOFF_JSON

PACKAGE_JSON = Artifact("package", "package.json", "json", "die, package, HBM, wafer figures")
PACKAGE_MD = Artifact("package", "package_report.md", "markdown", "the package report")
PACKAGE_SVG = Artifact("package", "package.svg", "svg", "package floorplan, zoomable")
PACKAGE_PNG = Artifact("package", "package.png", "png", "package floorplan")


def tile_figures(config, floorplan_json, signoff_json):
    """TileFigures of the signed-off tile: die area and macro area from the floorplan (um2), Fmax from
    STA, power scaled to Fmax (switching and internal power grow with the clock; leakage does not)."""
    from tapeout.errors import StageError
    from tapeout.package.spec import TileFigures

    plan = json.loads(floorplan_json.read_text())
    summary = json.loads(signoff_json.read_text())
    metrics = {**summary["timing"], **summary["power"]}
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
    summary = ("node scaling to the target node, die composition and reticle check, CoWoS interposer with "
               "HBM, roofline, wafer economics")
    sections = {"package": PackageSpec}
    reads = ("design.clock_period_ns", "tensor_core.rows", "tensor_core.cols")
    inputs = (FLOORPLAN_JSON, SIGNOFF_JSON)
    outputs = (PACKAGE_JSON, PACKAGE_MD, PACKAGE_SVG, PACKAGE_PNG)
    options = (NO_PICTURES,)
    gates = (Gate("package__reticle_fit__bool", bool, "die fits the reticle"),)
    pictures = (Picture(PACKAGE_PNG, "package floorplan"),)
    key_metrics = ("package__die_area__mm2", "package__peak__tops", "package__cost_per_good_die__usd")

    def applies(self, config) -> bool:
        from tapeout.flow.config import physical_flow

        if "package" not in config.written or config.tensor_core is None:
            return False
        return config.package.states_tile or physical_flow(config)

    def input_artifacts(self, config):
        """The floorplan and signoff results, unless [package] states the tile (then nothing)."""
        return () if config.package is not None and config.package.states_tile else self.inputs

    def run(self, ctx: StageContext) -> dict:
        from tapeout.package.run import run_package

        spec = ctx.config.package
        if spec.states_tile:
            tile = spec.stated_tile(ctx.config.tensor_core.rows * ctx.config.tensor_core.cols)
            source = "stated in [package] (tile_area_um2, tile_fmax_mhz, tile_power_mw)"
        else:
            tile = tile_figures(ctx.config, ctx.path(FLOORPLAN_JSON), ctx.path(SIGNOFF_JSON))
            source = "the flow's floorplan and signoff"
        ctx.log(f"tile at 130 nm ({source}): {tile.area_um2 / 1e6:.4f} mm2 ({tile.sram_area_um2 / 1e6:.4f} mm2 "
                f"SRAM), Fmax {tile.fmax_mhz:.1f} MHz, {tile.power_mw:.2f} mW at Fmax, {tile.macs} MACs/cycle")
        metrics = run_package(spec, tile, ctx.out_dir, tile_source=source, draw=ctx.draw_pictures)
        ctx.log(ctx.path(PACKAGE_MD).read_text())
        return metrics
