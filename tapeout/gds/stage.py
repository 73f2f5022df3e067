"""The `gds` flow stage: the placed design streamed out to GDSII with the cells' layouts (KLayout),
and the layout picture rendered from the GDS."""

from __future__ import annotations

import json

from tapeout.flow.stage import Artifact, Picture, StageContext
from tapeout.pnr.cts.stage import CTS_MEMORIES
from tapeout.pnr.finish.stage import FINISHED_DEF
from tapeout.pnr.physical_stage import PhysicalStage

GDS = Artifact("gds", "{top}.gds", "gds", "the layout (GDSII): standard cells from the library's GDS, "
               "SRAM macros as black boxes")
GDS_JSON = Artifact("gds", "gds.json", "json", "instances, cells, GDS layers used, black boxes")
LAYOUT_PNG = Artifact("gds", "layout.png", "png", "the layout rendered from the GDS")


class GdsStage(PhysicalStage):
    name = "gds"
    title = "GDSII"
    summary = ("streams the placed design out to GDSII with KLayout: the DEF read with the technology's "
               "LEFs and layer map, every standard cell's layout merged from the library GDS, SRAM macros as "
               "black boxes; the picture drawn from the GDS")
    reads = ("design.top", "technology.library", "technology.pdk_root")
    inputs = (FINISHED_DEF, CTS_MEMORIES)
    outputs = (GDS, GDS_JSON, LAYOUT_PNG)
    pictures = (Picture(LAYOUT_PNG, "the layout, from the GDS"),)
    key_metrics = ("gds__instances__count", "gds__black_boxes__count")

    def tool_versions(self) -> dict[str, str]:
        from importlib.metadata import version

        return {"klayout": version("klayout")}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.gds.picture import render
        from tapeout.gds.stream_out import stream_out
        from tapeout.synth.memory_macros import macro_models, read_mappings
        from tapeout.tech.technology import technology_of

        technology = technology_of(ctx.config)
        macro_dir = ctx.out_dir / "macros"
        macro_dir.mkdir()
        lefs = []
        for name, model in sorted(macro_models(read_mappings(ctx.path(CTS_MEMORIES)),
                                               technology.macro_factory).items()):
            path = macro_dir / f"{name}.lef"
            path.write_text(model.lef_text())
            lefs.append(path)
        ctx.progress(None, "KLayout: DEF + LEF + cell GDS -> GDSII")
        summary = stream_out(ctx.path(FINISHED_DEF), technology, ctx.path(GDS), lefs)
        ctx.log(f"{summary.top}: {summary.instances} instances of {summary.cells - 1} cells, "
                f"{len(summary.layers)} GDS layers, black boxes: {', '.join(summary.black_boxes) or 'none'}")
        ctx.path(GDS_JSON).write_text(json.dumps({
            "top": summary.top, "instances": summary.instances, "cells": summary.cells,
            "layers": [f"{layer}/{datatype}" for layer, datatype in summary.layers],
            "black_boxes": summary.black_boxes, "die_um": summary.die_um,
            "standard_cell_layouts": str(technology.gds) if technology.gds else "LEF abstracts (no cell GDS)",
        }, indent=1) + "\n")
        ctx.progress(0.8, "layout picture")
        lyp = technology.layer_map.with_suffix(".lyp") if technology.layer_map else None
        render(ctx.path(GDS), ctx.path(LAYOUT_PNG), lyp)
        return {**summary.metrics(), "gds__size__bytes": ctx.path(GDS).stat().st_size}
