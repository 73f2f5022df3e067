"""The `drc_lvs` flow stage: physical verification of the GDS the `gds` stage wrote: DRC of the
routing-layer rules (li1, mcon, met1-met5, via-via4) with KLayout's Region checks, markers in a KLayout
report database and on a picture; LVS of the connectivity KLayout extracts from the GDS against the
netlist (the cts stage's, from which the final Verilog and DEF are written).

A stage of its own rather than part of `signoff`: it reads the GDS (signoff reads the DEF and the
netlist), so timing and power do not rerun when only the layout changes, and the other way round."""

from __future__ import annotations

import json

from tapeout.flow.stage import Artifact, Gate, Option, Picture, StageContext
from tapeout.gds.stage import GDS
from tapeout.pnr.cts.stage import CTS_MEMORIES, CTS_NETLIST_JSON
from tapeout.pnr.physical_stage import PhysicalStage

DRC_RPT = Artifact("drc_lvs", "drc.rpt", "text", "violations per routing-layer rule (rule, check, value, count) "
                   "and the first markers")
DRC_LYRDB = Artifact("drc_lvs", "drc.lyrdb", "lyrdb", "DRC markers, one category per rule: KLayout's marker "
                     "browser (`klayout <top>.gds -m drc.lyrdb`)")
DRC_PNG = Artifact("drc_lvs", "drc.png", "png", "the layout with the DRC markers outlined in red")
DRC_JSON = Artifact("drc_lvs", "drc.json", "json", "rule table with violation counts and marker boxes (um)")
LVS_RPT = Artifact("drc_lvs", "lvs.rpt", "text", "LVS result: opens, shorts and missing terminals by net name")
LVS_JSON = Artifact("drc_lvs", "lvs.json", "json", "LVS status, counts and findings")


class DrcLvsStage(PhysicalStage):
    name = "drc_lvs"
    title = "DRC and LVS on the layout"
    summary = ("physical verification of the GDS with KLayout: the technology's routing-layer rules "
               "(width, spacing with notches, cut size, via enclosure, minimum area; SKY130's by rule name) "
               "on the whole layout (KLayout deep mode), markers in a KLayout report database and drawn on the "
               "layout; LVS: "
               "connectivity extracted from the GDS (cells as black boxes with their labelled pins) against "
               "the netlist, opens, shorts and missing pins by net name; part of every run of a detail-routed "
               "design")
    reads = ("design.top", "technology.library", "technology.pdk_root")
    inputs = (GDS, CTS_NETLIST_JSON, CTS_MEMORIES)
    outputs = (DRC_RPT, DRC_LYRDB, DRC_PNG, DRC_JSON, LVS_RPT, LVS_JSON)
    options = (Option("--allow-violations", "signoff and drc_lvs pass despite timing/DRC/LVS violations"),)
    gates = (Gate("drc__layout_violations__count", lambda v: v == 0, "no routing-layer DRC violation"),
             Gate("lvs__layout_mismatches__count", lambda v: v == 0, "layout matches netlist (LVS)"))
    pictures = (Picture(DRC_PNG, "DRC markers on the layout"),)
    default = False  # on request in general; part of every run of a detail-routed design (`in_default_run`)
    key_metrics = ("drc__layout_violations__count", "lvs__layout_status", "lvs__layout_shorts__count")

    def in_default_run(self, config) -> bool:
        from tapeout.pnr.route.detailed.stage import detailed_routing

        return detailed_routing(config)

    def tool_versions(self) -> dict[str, str]:
        from importlib.metadata import version

        return {"klayout": version("klayout")}

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
            "top": report.top, "check": "hierarchical", "violations": report.violations,
            "seconds": round(report.seconds, 3),
            "shapes": report.shapes,
            "rules": [{"rule": r.rule.name, "kind": r.rule.kind, "layer": r.rule.layer.name,
                       "outer": r.rule.outer.name if r.rule.outer else None, "value": r.rule.value,
                       "unit": r.rule.unit, "source": r.rule.source, "violations": r.count,
                       "markers_um": [[round(v, 4) for v in box] for box in r.boxes_um(report.dbu)[:100]]}
                      for r in report.results]}, indent=1) + "\n")
        ctx.progress(0.85, "DRC picture")
        lyp = technology.layer_map.with_suffix(".lyp") if technology.layer_map else None
        render_markers(ctx.path(GDS), ctx.path(DRC_PNG), boxes, lyp)
        ctx.progress(0.9, "LVS: extraction and comparison")
        lvs = layout_vs_netlist(ctx, technology)
        ctx.path(LVS_RPT).write_text(lvs.text())
        ctx.log(lvs.text())
        ctx.path(LVS_JSON).write_text(json.dumps({
            "status": lvs.status, "nets": lvs.nets, "joined": lvs.joined, "opens": lvs.opens, "shorts": lvs.shorts,
            "missing": lvs.missing, "supplies": lvs.supplies}, indent=1) + "\n")
        problems = []
        if report.violations:
            worst = ", ".join(f"{r.rule.name} ({r.count})" for r in report.failing()[:5])
            problems.append(f"{report.violations} DRC violations on the layout: {worst}; markers in "
                            f"{ctx.failed_dir}/drc.lyrdb")
        if lvs.mismatches:
            problems.append(f"LVS {lvs.status}: {len(lvs.shorts)} shorts, "
                            f"{len(lvs.opens) if lvs.status == 'mismatch' else 0} opens, "
                            f"{len(lvs.missing)} missing terminals, open supplies: "
                            f"{', '.join(lvs.supply_opens) or 'none'}; see {ctx.failed_dir}/lvs.rpt")
        if problems and not ctx.options.get("allow_violations"):
            raise StageError("; ".join(problems) + " (rerun with --allow-violations to accept)")
        return {**report.metrics(), **lvs.metrics(), "lvs__layout_status": lvs.status}


def layout_vs_netlist(ctx: StageContext, technology):
    """LVS of the stage's GDS against the cts stage's netlist."""
    from tapeout.drc_lvs.connectivity import extraction_layers
    from tapeout.drc_lvs.drc import read_layout
    from tapeout.drc_lvs.extract import extract
    from tapeout.drc_lvs.lvs import compare
    from tapeout.drc_lvs.reference import reference_nets
    from tapeout.netlist.from_synth import load_synthesized

    netlist = load_synthesized(ctx.input_dirs["cts"], ctx.top, technology.library())
    layout, cell = read_layout(ctx.path(GDS), ctx.top)
    metals, cuts = extraction_layers(technology)
    extraction = extract(layout, cell, metals, cuts)
    ctx.log(f"LVS: {extraction.instances} named instances, {extraction.terminals} terminals, "
            f"{len(extraction.nets)} labelled nets extracted")
    grid = technology.power_grid
    supplies = {grid.power: grid.power, grid.ground: grid.ground} if grid else {}
    return compare(reference_nets(netlist), extraction.nets, supplies)
