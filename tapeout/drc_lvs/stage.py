"""The `drc_lvs` flow stage: physical verification of the GDS the `gds` stage wrote: DRC of the
routing-layer rules (li1, mcon, met1-met5, via-via4) with KLayout's Region checks, markers in a KLayout
report database and on a picture."""

from __future__ import annotations

import json

from tapeout.flow.stage import Artifact, Gate, Option, Picture, Stage, StageContext
from tapeout.gds.stage import GDS

DRC_RPT = Artifact("drc_lvs", "drc.rpt", "text", "violations per routing-layer rule (rule, check, value, count) "
                   "and the first markers")
DRC_LYRDB = Artifact("drc_lvs", "drc.lyrdb", "lyrdb", "DRC markers, one category per rule: KLayout's marker "
                     "browser (`klayout <top>.gds -m drc.lyrdb`)")
DRC_PNG = Artifact("drc_lvs", "drc.png", "png", "the layout with the DRC markers outlined in red")
DRC_JSON = Artifact("drc_lvs", "drc.json", "json", "rule table with violation counts and marker boxes (um)")


class DrcLvsStage(Stage):
    name = "drc_lvs"
    title = "DRC and LVS on the layout"
    summary = ("physical verification of the GDS with KLayout: the technology's routing-layer rules "
               "(width, spacing with notches, cut size, via enclosure, minimum area; SKY130's by rule name) "
               "on the flattened layout, markers in a KLayout report database and drawn on the layout")
    reads = ("design.top", "technology.library", "technology.pdk_root")
    inputs = (GDS,)
    outputs = (DRC_RPT, DRC_LYRDB, DRC_PNG, DRC_JSON)
    options = (Option("--allow-violations", "signoff and drc_lvs pass despite timing/DRC/LVS violations"),)
    gates = (Gate("drc__layout_violations__count", lambda v: v == 0, "no routing-layer DRC violation"),)
    pictures = (Picture(DRC_PNG, "DRC markers on the layout"),)
    key_metrics = ("drc__layout_violations__count", "drc__layout_rules__count")

    def applies(self, config) -> bool:
        from tapeout.flow.config import physical_flow

        return physical_flow(config)

    def tool_versions(self) -> dict[str, str]:
        from importlib.metadata import version

        return {"klayout": version("klayout")}

    def input_files(self, config):
        from tapeout.tech.technology import technology_files

        return technology_files(config)

    def run(self, ctx: StageContext) -> dict:
        from tapeout.drc_lvs.drc import LayoutError, run_drc
        from tapeout.drc_lvs.picture import render_markers
        from tapeout.drc_lvs.report_database import write_report_database
        from tapeout.drc_lvs.rules import rules_of
        from tapeout.errors import StageError
        from tapeout.tech.technology import technology_of

        technology = technology_of(ctx.config)
        rules = rules_of(technology)
        try:
            report = run_drc(ctx.path(GDS), rules, ctx.top, progress=lambda f, m: ctx.progress(0.8 * f, m))
        except LayoutError as exc:
            raise StageError(str(exc)) from None
        ctx.path(DRC_RPT).write_text(report.text())
        ctx.log(report.text())
        write_report_database(report, ctx.path(GDS).resolve(), ctx.path(DRC_LYRDB))
        boxes = [box for result in report.failing() for box in result.boxes_um(report.dbu)]
        ctx.path(DRC_JSON).write_text(json.dumps({
            "top": report.top, "check": "flat", "violations": report.violations, "seconds": round(report.seconds, 3),
            "shapes": report.shapes,
            "rules": [{"rule": r.rule.name, "kind": r.rule.kind, "layer": r.rule.layer.name,
                       "outer": r.rule.outer.name if r.rule.outer else None, "value": r.rule.value,
                       "unit": r.rule.unit, "source": r.rule.source, "violations": r.count,
                       "markers_um": [[round(v, 4) for v in box] for box in r.boxes_um(report.dbu)[:100]]}
                      for r in report.results]}, indent=1) + "\n")
        ctx.progress(0.85, "DRC picture")
        lyp = technology.layer_map.with_suffix(".lyp") if technology.layer_map else None
        render_markers(ctx.path(GDS), ctx.path(DRC_PNG), boxes, lyp)
        if report.violations and not ctx.options.get("allow_violations"):
            worst = ", ".join(f"{r.rule.name} ({r.count})" for r in report.failing()[:5])
            raise StageError(f"{report.violations} DRC violations on the layout: {worst}; markers in "
                             f"{ctx.failed_dir}/drc.lyrdb (rerun with --allow-violations to accept)")
        return report.metrics()
