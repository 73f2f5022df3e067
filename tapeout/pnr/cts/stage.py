"""The `cts` flow stage: a balanced buffered clock tree over the clock pins of the placed design;
latency per sink, skew, buffer count and wirelength, and the placement drawn with the tree."""

from __future__ import annotations

import json

import numpy as np

from tapeout.flow.stage import Artifact, Picture, Stage, StageContext
from tapeout.pnr.resize.stage import PLACED_DESIGN

CTS_JSON = Artifact("cts", "cts.json", "json", "sinks, buffers, latency and skew (ns), clock latency per sink instance")
CLOCK_TREE_NPZ = Artifact("cts", "clock_tree.npz", "npz", "tree nodes x, y (um) and parents, format 'clock_tree' v1")
CTS_PNG = Artifact("cts", "clock_tree.png", "png", "the placement with the clock tree")
CTS_SVG = Artifact("cts", "clock_tree.svg", "svg", "the same, zoomable")


class CtsStage(Stage):
    name = "cts"
    title = "clock tree"
    summary = ("balanced buffered clock tree by recursive geometric clustering over every flop and SRAM "
               "clock pin; latency and skew per sink")
    reads = ("design.top",)
    inputs = PLACED_DESIGN
    outputs = (CTS_JSON, CLOCK_TREE_NPZ, CTS_PNG, CTS_SVG)
    pictures = (Picture(CTS_PNG, "placement, macros and clock tree"),)
    key_metrics = ("cts__skew__ns", "cts__latency__ns", "cts__buffers__count")

    def applies(self, config) -> bool:
        from tapeout.flow.config import physical_flow

        return physical_flow(config)

    def run(self, ctx: StageContext) -> dict:
        from tapeout.pnr.cts.clock_tree import CLOCK_BUFFER, synthesize_clock_tree
        from tapeout.pnr.floorplan.from_netlist import clock_pins
        from tapeout.pnr.formats.arrays_file import save_arrays
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.pnr.place.placed_design import load_placed
        from tapeout.tech.library import default_library

        config = ctx.config
        ctx.progress(None, "loading the placed design")
        placed = load_placed(ctx.input_dirs["resize"], ctx.top)
        netlist = placed.netlist
        pin_x, pin_y = placed.pin_xy
        sinks = clock_pins(netlist)
        ctx.progress(None, "clock tree")
        tree = synthesize_clock_tree(netlist, sinks, pin_x, pin_y, default_library())
        cts = {"sinks": len(sinks), "buffer_cell": CLOCK_BUFFER}
        metrics = {"cts__sinks__count": len(sinks)}
        if tree is not None:
            cts.update(skew_ns=float(tree.skew_ns), latency_ns=float(tree.latency_ns),
                       buffers=int(tree.buffer_count), wirelength_um=float(tree.wirelength_um),
                       sink_latency_ns={netlist.cell_names[netlist.pin_cell[p]]: float(t)
                                        for p, t in zip(sinks, tree.sink_latency_ns)})
            ctx.log(f"clock tree: {len(sinks)} sinks, {tree.buffer_count} buffers, latency {tree.latency_ns:.3f} ns, "
                    f"skew {tree.skew_ns:.3f} ns")
            metrics.update({"cts__skew__ns": round(tree.skew_ns, 5), "cts__latency__ns": round(tree.latency_ns, 5),
                            "cts__buffers__count": int(tree.buffer_count),
                            "cts__wirelength__um": round(tree.wirelength_um, 1)})
            save_arrays(ctx.path(CLOCK_TREE_NPZ), "clock_tree", 1, x=tree.node_x_um, y=tree.node_y_um,
                        parent=tree.parent, sink_pins=np.asarray(sinks))
        else:
            ctx.log("no clock pins: no clock tree")
            save_arrays(ctx.path(CLOCK_TREE_NPZ), "clock_tree", 1, x=np.zeros(0), y=np.zeros(0),
                        parent=np.zeros(0, dtype=np.int64), sink_pins=np.zeros(0, dtype=np.int64))
        ctx.path(CTS_JSON).write_text(json.dumps(cts, indent=1, sort_keys=True) + "\n")
        ctx.progress(0.9, "picture")
        draw_placement([ctx.path(CTS_PNG), ctx.path(CTS_SVG)], placed.plan, netlist, placed.x, placed.y,
                       placed.problem.width, placed.problem.height, tree,
                       title=f"{config.name}: clock tree, {len(sinks):,} sinks"
                             + (f", skew {tree.skew_ns:.3f} ns" if tree is not None else ""))
        return metrics
